/* Staff pages: warn before the idle sign-out, and count typing and clicking as activity.
 *
 * The server signs staff out after BACKCARE_STAFF_IDLE_TIMEOUT without a request
 * (backcare/accounts/sessions.py); its clock decides, this script only helps. The timings come
 * from data- attributes on #session-warning, written from the settings. Keyboard and pointer
 * use in the page is reported to the keep-alive endpoint at most once per report interval, so
 * a clinician writing a long note is not signed out mid-sentence. Before the idle end the
 * warning appears with a "Stay signed in" button; at the end the page is requested again, and
 * the server answers with the login page and the reason. Open backcare tabs share the time of
 * their last contact with the server through localStorage, so a busy tab keeps an idle one in.
 */
"use strict";
(function () {
  const warning = document.getElementById("session-warning");
  if (!warning) return;
  const idleMs = Number(warning.dataset.idleS) * 1000;
  const warningMs = Number(warning.dataset.warningS) * 1000;
  const reportEveryMs = Number(warning.dataset.reportEveryS) * 1000;
  const KEY = "backcare.session.lastContact";
  const stay = warning.querySelector("button");
  let lastContact = Date.now(); // this page was just served: the server saw us now
  let sending = false;
  let leaving = false;

  function remember(time) {
    lastContact = Math.max(lastContact, time);
    try { localStorage.setItem(KEY, String(lastContact)); } catch (e) { /* private mode */ }
  }

  function sharedContact() {
    let stored = 0;
    try { stored = Number(localStorage.getItem(KEY)) || 0; } catch (e) { /* private mode */ }
    return Math.max(lastContact, stored);
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function toLogin() {
    leaving = true;
    const here = window.location.pathname + window.location.search;
    window.location.assign(warning.dataset.loginUrl + "?next=" + encodeURIComponent(here));
  }

  function keepAlive() {
    if (sending || leaving) return;
    sending = true;
    fetch(warning.dataset.keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
      redirect: "manual",
    }).then(function (response) {
      if (response.status === 204) {
        remember(Date.now()); // after the server's own time, never before it
        tick();
      } else if (response.status === 401) {
        toLogin(); // the server has ended the session; the login page says why
      }
    }, function () { /* offline: the server's clock goes on; try again at the next activity */ })
      .finally(function () { sending = false; });
  }

  function tick() {
    if (leaving) return;
    const left = sharedContact() + idleMs - Date.now();
    if (left <= 0) {
      leaving = true;
      // Ask again for this page: the server signs out and answers with the login page and
      // the reason (or, if another tab kept the session alive meanwhile, with the page).
      window.location.assign(window.location.pathname + window.location.search);
    } else {
      warning.hidden = left > warningMs;
    }
  }

  function activity() {
    if (Date.now() - sharedContact() >= reportEveryMs) keepAlive();
  }

  remember(lastContact);
  stay.addEventListener("click", keepAlive);
  document.addEventListener("keydown", activity, { passive: true });
  document.addEventListener("pointerdown", activity, { passive: true });
  window.setInterval(tick, 1000);
})();

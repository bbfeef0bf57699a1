/* The offline outbox: session logs kept on this phone until the server has them.
 *
 * Each log is stored in localStorage under its client_id (the API is idempotent by client_id,
 * so sending one twice stores it once). A log is removed only when the server answers 200 or 201
 * with the session it stored (same client_id): redirects are not followed, so a login or
 * maintenance page that a proxy answers with (302, then 200) never counts as saved.
 * If this browser refuses to store it (storage full or blocked), the log is kept in the page's
 * memory and still sent, and status() says it is not kept on the phone.
 * An answer that can never succeed (400, 409, 413, 422) keeps the log, marked with the server's
 * problem detail, until the patient removes it; anything else (offline, 5xx, logged out, CSRF,
 * a redirect) is retried when the browser comes back online, on every page that includes this
 * file, and every minute while the page stays open. Logs belong to the login that made them: another
 * login on the same phone never sends or sees them.
 */
(function () {
  "use strict";

  var KEY = "backcare.outbox.v1";
  var RETRY_MS = 60000;
  var PERMANENT = [400, 409, 413, 422];
  var section = document.getElementById("outbox");
  var owner = section ? section.dataset.owner : "";
  var text = {};
  var justSaved = {};
  var shownElsewhere = {}; // client ids whose status the page shows itself (the player)
  var syncing = null;
  var again = false;

  document.querySelectorAll("#outbox-text [data-key]").forEach(function (node) {
    text[node.dataset.key] = node.textContent.trim();
  });

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  var memory = null; // used only when this browser refuses localStorage (storage full, blocked)

  function readAll() {
    if (memory) return memory;
    try {
      return JSON.parse(localStorage.getItem(KEY) || "{}") || {};
    } catch (error) {
      return {};
    }
  }

  /* True if the entries are now in localStorage; false if they live only in this page. */
  function writeAll(entries) {
    try {
      localStorage.setItem(KEY, JSON.stringify(entries));
      memory = null;
      return true;
    } catch (error) {
      memory = entries; // kept while this page is open, and still sent
      return false;
    }
  }

  function update(clientId, change) {
    var entries = readAll();
    if (change === null) {
      delete entries[clientId];
    } else if (entries[clientId]) {
      Object.assign(entries[clientId], change);
    }
    writeAll(entries);
  }

  function mine() {
    var entries = readAll();
    return Object.keys(entries)
      .filter(function (id) { return String(entries[id].owner) === String(owner); })
      .map(function (id) { return entries[id]; });
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function problemText(status, problem) {
    if (!problem || typeof problem !== "object") return "HTTP " + status;
    var parts = [problem.detail || problem.title || "HTTP " + status];
    (problem.errors || []).forEach(function (error) {
      parts.push(error.field + ": " + error.message);
    });
    return parts.join(" ");
  }

  function announce(entry, state) {
    document.dispatchEvent(new CustomEvent("backcare:outbox", {
      detail: { clientId: entry.body.client_id, state: state, problem: entry.problem || "" },
    }));
  }

  function send(entry) {
    return fetch(entry.url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json, application/problem+json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify(entry.body),
      redirect: "manual", // a redirect (to a login or maintenance page) is an "opaqueredirect"
    }).then(function (response) {
      var id = entry.body.client_id;
      if (response.status === 200 || response.status === 201) {
        return response.json().catch(function () { return null; }).then(function (answer) {
          if (!answer || String(answer.client_id).toLowerCase() !== String(id).toLowerCase()) {
            return; // not the API's answer (a proxy's page?): keep it and try again later
          }
          update(id, null);
          justSaved[id] = entry;
          announce(entry, "saved");
        });
      }
      if (PERMANENT.indexOf(response.status) === -1) return; // try again later
      return response.json().catch(function () { return null; }).then(function (problem) {
        var detail = problemText(response.status, problem);
        update(id, { state: "failed", problem: detail });
        entry.problem = detail;
        announce(entry, "failed");
      });
    }, function () { /* no network after all: keep it and try again later */ });
  }

  /* Send every pending log of this login, one at a time; resolves when done. */
  function sync() {
    if (syncing) {
      again = true;
      return syncing;
    }
    var pending = mine().filter(function (entry) { return entry.state === "pending"; });
    if (!owner || !pending.length || !navigator.onLine) {
      render();
      return Promise.resolve();
    }
    syncing = pending.reduce(function (chain, entry) {
      return chain.then(function () { return send(entry); });
    }, Promise.resolve()).then(function () {
      syncing = null;
      render();
      if (again) {
        again = false;
        return sync();
      }
    });
    return syncing;
  }

  /* Keep a finished session's log on this phone, then try to send it. */
  function add(url, body) {
    var entries = readAll();
    entries[body.client_id] = {
      owner: owner, url: url, body: body, state: "pending", problem: "",
      stored_at: new Date().toISOString(),
    };
    writeAll(entries);
    render();
    return sync();
  }

  /* "pending", "failed" (with .problem), or "saved" once the server has it; .kept is true while
   * the log is stored on this phone, false if it lives only in this page (storage refused). */
  function status(clientId) {
    var entry = readAll()[clientId];
    if (entry) return { state: entry.state, problem: entry.problem || "", kept: memory === null };
    return { state: justSaved[clientId] ? "saved" : "unknown", problem: "", kept: false };
  }

  function dateText(iso) {
    var parts = iso.split("-").map(Number);
    var day = new Date(parts[0], parts[1] - 1, parts[2]);
    return day.toLocaleDateString(document.documentElement.lang || undefined, {
      weekday: "long", day: "numeric", month: "long",
    });
  }

  function render() {
    if (!section) return;
    var list = section.querySelector(".outbox-list");
    var shown = mine().concat(Object.keys(justSaved).map(function (id) {
      return Object.assign({}, justSaved[id], { state: "saved" });
    })).filter(function (entry) { // a failed one stays listed: its Remove button is here
      return entry.state === "failed" || !shownElsewhere[entry.body.client_id];
    });
    list.textContent = "";
    shown.forEach(function (entry) {
      var item = document.createElement("li");
      item.className = "outbox-" + entry.state;
      item.dataset.clientId = entry.body.client_id;
      var label = document.createElement("strong");
      label.textContent = fill(text.session, { date: dateText(entry.body.performed_on) }) + ": ";
      item.appendChild(label);
      var message = entry.state === "failed"
        ? fill(text.failed, { problem: entry.problem })
        : entry.state === "pending" && memory ? text.unstored : text[entry.state];
      item.appendChild(document.createTextNode(message));
      if (entry.state === "failed") {
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link";
        remove.textContent = text.remove;
        remove.addEventListener("click", function () {
          if (window.confirm(text.confirm_remove)) {
            update(entry.body.client_id, null);
            render();
          }
        });
        item.appendChild(document.createTextNode(" "));
        item.appendChild(remove);
      }
      list.appendChild(item);
    });
    section.hidden = shown.length === 0;
  }

  window.backcareOutbox = {
    add: add, sync: sync, status: status, text: text, shownElsewhere: shownElsewhere,
  };
  window.addEventListener("online", sync);
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) render();
  });
  window.setInterval(sync, RETRY_MS);
  sync();
})();

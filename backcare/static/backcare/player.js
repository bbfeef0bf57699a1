/* The guided session player: one exercise at a time, with hold and rest timers, a rep counter,
 * sounds, and pain/effort at the end of each exercise. Finishing hands the session log to the
 * outbox (outbox.js), which sends it now or when the phone is back online.
 *
 * The session in progress (which exercise, sets and reps done, timers) is kept in localStorage,
 * so a reload or a closed tab carries on where it was; a running timer comes back paused. A saved
 * session's state is dropped once the outbox has its log on this phone, or else (storage refused)
 * only once the server has it, so a reload before then brings back the summary to save again.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("player-data").textContent);
  var root = document.getElementById("player");
  var outbox = window.backcareOutbox;
  var STATE_KEY = "backcare.player.v1." + data.owner;
  var SOUND_KEY = "backcare.player.sound";
  var TICK_MS = 200;
  var text = {};
  document.querySelectorAll("#player-text [data-key]").forEach(function (node) {
    text[node.dataset.key] = node.textContent.trim();
  });

  function $(id) { return document.getElementById("player-" + id); }
  function fill(key, values) {
    return text[key].replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  /* ---- state ------------------------------------------------------------------------------ */

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); });
    return [hex.slice(0, 4), hex.slice(4, 6), hex.slice(6, 8), hex.slice(8, 10), hex.slice(10)]
      .map(function (part) { return part.join(""); }).join("-");
  }

  /* The day the session is logged on: the server's date when the page was made, moved on by
   * however many days this phone's clock has turned over since (the server judges "not in the
   * future" by its own date, which may differ from the phone's time zone). */
  var pageLoadedOn = new Date();
  function localDay(date) {
    return Date.UTC(date.getFullYear(), date.getMonth(), date.getDate());
  }
  function today() {
    var server = new Date(data.today + "T00:00:00Z");
    var days = Math.round((localDay(new Date()) - localDay(pageLoadedOn)) / 86400000);
    return new Date(server.getTime() + days * 86400000).toISOString().slice(0, 10);
  }

  function freshExercise(item) {
    return {
      phase: item.dose_type === "reps" ? "count" : "ready",
      sets_done: 0, rep_counts: [], reps: 0, remaining_ms: null, elapsed_ms: 0,
      minutes: null, pain: null, effort: null,
    };
  }

  function freshState() {
    return {
      programme: data.programme, version: data.version, client_id: uuid4(),
      performed_on: today(), view: "exercise", index: 0, notes: "",
      exercises: data.items.map(freshExercise),
    };
  }

  /* The saved session in progress, if it is for this programme and from today. */
  function loadState() {
    try {
      var saved = JSON.parse(localStorage.getItem(STATE_KEY) || "null");
      if (saved && saved.programme === data.programme && saved.version === data.version &&
          saved.performed_on === today() && saved.exercises.length === data.items.length &&
          saved.view !== "done") {
        return saved;
      }
    } catch (error) { /* unreadable: start afresh */ }
    return freshState();
  }

  var state = loadState();
  var running = false;
  var timer = null;
  var endAt = 0;
  var shownSeconds = null;

  function save() {
    if (state.view === "done") return; // what was saved before (the summary) stays until forget()
    try {
      localStorage.setItem(STATE_KEY, JSON.stringify(state));
    } catch (error) { /* storage refused: the session still works, it just won't survive a reload */ }
  }

  /* The session in progress is no longer needed: its log is stored on this phone or sent. */
  function forget() {
    try { localStorage.removeItem(STATE_KEY); } catch (error) { /* nothing to drop */ }
  }

  function item() { return data.items[state.index]; }
  function ex() { return state.exercises[state.index]; }

  /* ---- sound and speech ------------------------------------------------------------------- */

  var audio = null;
  var soundOn = true;
  try { soundOn = localStorage.getItem(SOUND_KEY) !== "off"; } catch (error) { /* default on */ }

  /* Called from a tap or key press: browsers only let a page start audio after one. */
  function wakeAudio() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context || !soundOn) return;
    try {
      if (!audio) audio = new Context();
      if (audio.state === "suspended") audio.resume();
    } catch (error) { audio = null; }
  }

  function beep(frequency, seconds) {
    if (!soundOn || !audio || audio.state !== "running") return;
    var oscillator = audio.createOscillator();
    var gain = audio.createGain();
    var now = audio.currentTime;
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.3, now + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + seconds);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(now);
    oscillator.stop(now + seconds + 0.05);
  }
  var cue = {
    start: function () { beep(880, 0.25); },
    tick: function () { beep(660, 0.08); },
    end: function () { beep(520, 0.6); },
    rep: function () { beep(740, 0.05); },
  };

  var live = $("live");
  function say(message) {
    // the same words twice in a row are still announced: make the text differ
    live.textContent = live.textContent === message ? message + "\u00a0" : message;
  }

  /* ---- timers ----------------------------------------------------------------------------- */

  function startTimer(ms) {
    stopTimer();
    running = true;
    endAt = Date.now() + ms;
    shownSeconds = Math.ceil(ms / 1000);
    ex().remaining_ms = ms;
    timer = window.setInterval(tick, TICK_MS);
  }

  function stopTimer() {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
    if (running) ex().remaining_ms = Math.max(0, endAt - Date.now());
    running = false;
  }

  function tick() {
    var left = Math.max(0, endAt - Date.now());
    var current = ex();
    if (current.phase === "minutes") {
      current.elapsed_ms += current.remaining_ms - left;
    }
    current.remaining_ms = left;
    var seconds = Math.ceil(left / 1000);
    if (seconds !== shownSeconds) {
      shownSeconds = seconds;
      if (seconds > 0 && seconds <= 3) cue.tick();
      save();
    }
    if (left === 0) {
      window.clearInterval(timer);
      timer = null;
      running = false;
      timeUp();
    }
    render();
  }

  function timeUp() {
    var current = ex();
    cue.end();
    if (current.phase === "hold") {
      current.sets_done += 1;
      afterSet();
    } else if (current.phase === "rest") {
      nextSet();
    } else if (current.phase === "minutes") {
      current.minutes = item().duration_min;
      toRate();
    }
  }

  /* ---- the exercise's steps --------------------------------------------------------------- */

  function holdMs() { return item().hold_s * 1000; }
  function restMs() { return item().rest_s * 1000; }

  function startHold() {
    var current = ex();
    current.phase = "hold";
    startTimer(current.remaining_ms || holdMs());
    cue.start();
    say(fill("say_hold", { n: current.sets_done + 1, total: item().sets, s: item().hold_s }));
  }

  function afterSet() {
    var current = ex();
    current.remaining_ms = null;
    if (current.sets_done >= item().sets) return toRate();
    if (item().rest_s > 0) {
      current.phase = "rest";
      startTimer(restMs());
      say(fill("say_rest", { s: item().rest_s }));
    } else {
      nextSet();
    }
  }

  function nextSet() {
    var current = ex();
    current.remaining_ms = null;
    if (item().dose_type === "hold") return startHold();
    current.phase = "count";
    current.reps = 0;
    cue.start();
    say(fill("say_set", { n: current.sets_done + 1, total: item().sets, reps: item().reps }));
  }

  function countRep() {
    var current = ex();
    if (current.phase === "rest") {
      say(fill("say_resting", { s: Math.ceil(current.remaining_ms / 1000) }));
      return;
    }
    if (current.phase !== "count") return;
    current.reps += 1;
    cue.rep();
    say(fill("reps_of", { done: current.reps, target: item().reps }));
    if (current.reps >= item().reps) endSet();
    else changed();
  }

  function endSet() {
    var current = ex();
    if (current.reps > 0) {
      current.rep_counts.push(current.reps);
      current.sets_done += 1;
    }
    current.reps = 0;
    cue.end();
    afterSet();
    changed();
  }

  function toRate() {
    stopTimer();
    var current = ex();
    current.phase = "rate";
    current.remaining_ms = null;
    if (item().dose_type === "duration" && current.minutes === null) {
      var minutes = Math.round(current.elapsed_ms / 60000);
      current.minutes = minutes > 0 ? minutes : item().duration_min;
    }
    say(text.say_rate);
    changed();
    $("rate-title").focus();
  }

  /* Finish early with what has been done so far (a set in progress counts if it has reps). */
  function finishNow() {
    var current = ex();
    stopTimer();
    if (item().dose_type === "reps" && current.reps > 0) {
      current.rep_counts.push(current.reps);
      current.sets_done += 1;
      current.reps = 0;
    }
    if (item().dose_type === "duration") current.minutes = null;
    toRate();
  }

  function mainButton() {
    var current = ex();
    wakeAudio();
    if (running) {
      stopTimer();
      say(text.say_paused);
    } else if (current.phase === "ready") {
      if (item().dose_type === "hold") startHold();
      else {
        current.phase = "minutes";
        startTimer(item().duration_min * 60000);
        cue.start();
        say(fill("say_minutes", { minutes: item().duration_min }));
      }
    } else if (current.phase === "hold") {
      startHold();
    } else {
      startTimer(current.remaining_ms);
    }
    changed();
  }

  /* ---- moving between exercises ----------------------------------------------------------- */

  function show(index) {
    stopTimer();
    state.index = index;
    state.view = "exercise";
    changed();
    document.getElementById("exercise-" + item().id + "-name").focus();
  }

  function leave() {
    if (ex().phase === "rate") keepRating();
    if (state.index + 1 < data.items.length) show(state.index + 1);
    else toSummary();
  }

  function keepRating() {
    var current = ex();
    var pain = document.querySelector("input[name=player-pain]:checked");
    var effort = document.querySelector("input[name=player-effort]:checked");
    current.pain = pain ? Number(pain.value) : null;
    current.effort = effort ? Number(effort.value) : null;
    if (item().dose_type === "duration") {
      var minutes = parseInt($("minutes").value, 10);
      current.minutes = isNaN(minutes) ? null : Math.min(600, Math.max(0, minutes));
    }
  }

  function skip() {
    stopTimer();
    ex().phase = "skipped";
    say(text.say_skipped);
    leave();
  }

  function toSummary() {
    stopTimer();
    state.view = "summary";
    changed();
    $("summary-title").focus();
  }

  /* ---- the log ---------------------------------------------------------------------------- */

  function isDone(current, entry) {
    if (current.phase === "skipped") return false;
    if (entry.dose_type === "duration") return current.minutes !== null && current.minutes > 0;
    return current.sets_done > 0;
  }

  function entryOf(entry, index) {
    var current = state.exercises[index];
    var log = { item_id: entry.id, done: isDone(current, entry) };
    if (!log.done) return log;
    if (entry.dose_type === "hold") {
      log.sets_done = current.sets_done;
      log.hold_s_done = entry.hold_s;
    } else if (entry.dose_type === "reps") {
      var total = current.rep_counts.reduce(function (a, b) { return a + b; }, 0);
      log.sets_done = current.sets_done;
      log.reps_done = Math.round(total / current.rep_counts.length); // reps per set, on average
    } else {
      log.minutes_done = current.minutes;
    }
    if (current.pain !== null) log.pain_during_0_10 = current.pain;
    if (current.effort !== null) log.effort_0_10 = current.effort;
    return log;
  }

  function sessionBody() {
    return {
      client_id: state.client_id,
      performed_on: state.performed_on,
      notes: $("notes").value.slice(0, 5000),
      exercises: data.items.map(entryOf),
    };
  }

  function recordedText(log, entry, current) {
    if (!log.done) return current.phase === "skipped" ? text.rec_skipped : text.rec_not_done;
    var parts = [];
    if (entry.dose_type === "hold") parts.push(fill("rec_hold", { sets: log.sets_done, s: log.hold_s_done }));
    else if (entry.dose_type === "reps") parts.push(fill("rec_reps", { sets: log.sets_done, reps: log.reps_done }));
    else parts.push(fill("rec_minutes", { minutes: log.minutes_done }));
    if (log.pain_during_0_10 !== undefined) parts.push(fill("rec_pain", { n: log.pain_during_0_10 }));
    if (log.effort_0_10 !== undefined) parts.push(fill("rec_effort", { n: log.effort_0_10 }));
    return parts.join(", ");
  }

  function saveSession() {
    state.notes = $("notes").value;
    save(); // the summary, as it is now, stays on this phone until the log is safe
    var body = sessionBody();
    state.view = "done";
    state.saved_id = body.client_id;
    outbox.shownElsewhere[body.client_id] = true; // its status is shown here, not twice
    render();
    $("done-title").focus();
    var sending = outbox.add(data.sessions_url, body);
    if (outbox.status(body.client_id).kept) forget();
    else showStatus(); // only in this page's memory: say so at once
    sending.then(showStatus);
  }

  function showStatus() {
    if (!state.saved_id) return;
    var status = outbox.status(state.saved_id);
    if (status.state === "saved" || status.kept) forget();
    var message = {
      saved: outbox.text.saved,
      pending: status.kept ? outbox.text.pending : outbox.text.unstored,
      failed: outbox.text.failed.replace("{problem}", status.problem),
    }[status.state];
    if (message && $("status").textContent !== message) $("status").textContent = message;
  }

  /* ---- drawing ---------------------------------------------------------------------------- */

  function clock(ms) {
    var seconds = Math.ceil(ms / 1000);
    if (seconds < 60) return String(seconds);
    var rest = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function setVisible(id, visible) { $(id).hidden = !visible; }

  function renderPanel(entry, current) {
    var phase = current.phase;
    var timed = phase === "hold" || phase === "rest" || phase === "minutes";
    var label = "";
    var big = "";
    var progress = 0;
    var setNumber = Math.min(current.sets_done + 1, entry.sets);
    if (entry.dose_type === "hold" && (phase === "ready" || phase === "hold")) {
      label = fill("hold_of", { n: setNumber, total: entry.sets });
      var holdLeft = current.remaining_ms === null ? entry.hold_s * 1000 : current.remaining_ms;
      big = clock(holdLeft);
      progress = 1 - holdLeft / (entry.hold_s * 1000);
    } else if (phase === "rest") {
      label = text.rest;
      big = clock(current.remaining_ms);
      progress = 1 - current.remaining_ms / (entry.rest_s * 1000);
    } else if (phase === "count") {
      label = fill("set_of", { n: setNumber, total: entry.sets });
      big = fill("reps_of", { done: current.reps, target: entry.reps });
      progress = current.reps / entry.reps;
    } else if (entry.dose_type === "duration" && phase !== "skipped") {
      label = text.activity;
      var total = entry.duration_min * 60000;
      var left = current.remaining_ms === null ? total : current.remaining_ms;
      big = clock(left);
      progress = 1 - left / total;
    }
    $("phase").textContent = label;
    $("big").textContent = big;
    $("progress").value = Math.max(0, Math.min(1, progress));
    setVisible("phase", phase !== "skipped");
    setVisible("big", phase !== "skipped");
    setVisible("progress", phase !== "skipped");
    setVisible("note", phase === "skipped" || phase === "count");
    $("note").textContent = phase === "skipped" ? text.skipped_note : text.reps_note;

    var main = timed || phase === "ready";
    setVisible("main", main);
    $("main").textContent = running ? text.pause
      : phase === "ready" ? text.start : text.resume;
    setVisible("count", entry.dose_type === "reps" && (phase === "count" || phase === "rest"));
    $("count").setAttribute("aria-disabled", phase === "count" ? "false" : "true");
    setVisible("undo", phase === "count" && current.reps > 0);
    setVisible("end-set", phase === "count" && current.reps > 0);
    setVisible("skip-rest", phase === "rest");
    setVisible("mark-done", entry.dose_type === "duration" && (phase === "ready" || phase === "minutes"));
    setVisible("finish-now", entry.dose_type !== "duration" && phase !== "skipped" &&
      (current.sets_done > 0 || current.reps > 0));
    setVisible("unskip", phase === "skipped");
  }

  function renderRate(entry, current) {
    $("rate-title").textContent = fill("rate_title", { name: entry.name });
    var log = entryOf(entry, state.index);
    $("rate-done").textContent = entry.dose_type === "duration" ? "" : recordedText(log, entry, current);
    setVisible("rate-done", entry.dose_type !== "duration");
    setVisible("minutes-field", entry.dose_type === "duration");
    if (document.activeElement !== $("minutes")) $("minutes").value = current.minutes === null ? "" : current.minutes;
    ["pain", "effort"].forEach(function (name) {
      document.querySelectorAll("input[name=player-" + name + "]").forEach(function (radio) {
        radio.checked = current[name] !== null && Number(radio.value) === current[name];
      });
    });
    $("rate-next").textContent = state.index + 1 < data.items.length ? text.next : text.to_summary;
  }

  function renderSummary() {
    var list = $("summary-list");
    list.textContent = "";
    data.items.forEach(function (entry, index) {
      var row = document.createElement("li");
      var name = document.createElement("strong");
      name.textContent = entry.name + ": ";
      row.appendChild(name);
      row.appendChild(document.createTextNode(
        recordedText(entryOf(entry, index), entry, state.exercises[index])));
      list.appendChild(row);
    });
    if (document.activeElement !== $("notes")) $("notes").value = state.notes || "";
  }

  var lastRated = null;
  function render() {
    var entry = item();
    var current = ex();
    var onExercise = state.view === "exercise";
    document.querySelectorAll(".player-exercise").forEach(function (section) {
      section.hidden = !onExercise || Number(section.dataset.itemId) !== entry.id;
    });
    $("position").textContent = fill("exercise_of", { n: state.index + 1, total: data.items.length });
    setVisible("bar", onExercise);
    setVisible("nav", onExercise);
    setVisible("summary", state.view === "summary");
    setVisible("done", state.view === "done");
    if (onExercise) {
      var slot = document.querySelector("#exercise-" + entry.id + " .player-slot");
      var rating = current.phase === "rate";
      if ($("panel").parentNode !== slot) slot.appendChild($("panel"));
      if ($("rate").parentNode !== slot) slot.appendChild($("rate"));
      setVisible("panel", !rating);
      setVisible("rate", rating);
      if (rating) {
        if (lastRated !== state.index) renderRate(entry, current);
        lastRated = state.index;
      } else {
        lastRated = null;
        renderPanel(entry, current);
      }
      $("prev").disabled = state.index === 0;
      $("next").textContent = state.index + 1 < data.items.length ? text.next : text.to_summary;
      setVisible("skip", current.phase !== "skipped" && !rating);
      setVisible("next", !rating);
    } else if (state.view === "summary") {
      renderSummary();
    } else if (state.view === "done") {
      showStatus();
    }
    $("sound").textContent = soundOn ? text.mute : text.unmute;
    rescueFocus();
  }

  /* A button that just disappeared must not leave keyboard users nowhere. */
  function rescueFocus() {
    var active = document.activeElement;
    if (!active || active === document.body || !root.contains(active)) return;
    if (active.offsetParent !== null) return;
    var target = state.view === "exercise"
      ? Array.prototype.find.call(root.querySelectorAll(".player-controls button, #player-rate-next"),
          function (button) { return button.offsetParent !== null; })
      : null;
    (target || document.getElementById(state.view === "exercise"
      ? "exercise-" + item().id + "-name" : "player-" + state.view + "-title")).focus();
  }

  function changed() {
    save();
    render();
  }

  /* ---- wiring ----------------------------------------------------------------------------- */

  function on(id, handler) {
    $(id).addEventListener("click", function (event) {
      wakeAudio();
      handler(event);
    });
  }

  on("main", mainButton);
  on("count", countRep);
  on("undo", function () {
    if (ex().reps > 0) ex().reps -= 1;
    say(fill("reps_of", { done: ex().reps, target: item().reps }));
    changed();
  });
  on("end-set", endSet);
  on("skip-rest", function () {
    stopTimer();
    nextSet();
    changed();
  });
  on("mark-done", finishNow);
  on("finish-now", finishNow);
  on("unskip", function () {
    state.exercises[state.index] = freshExercise(item());
    changed();
  });
  on("rate-next", leave);
  on("prev", function () {
    if (ex().phase === "rate") keepRating();
    show(state.index - 1);
  });
  on("next", leave);
  on("skip", skip);
  on("back", function () { show(data.items.length - 1); });
  on("save", function () {
    $("save").disabled = true;
    saveSession();
  });
  on("sound", function () {
    soundOn = !soundOn;
    try { localStorage.setItem(SOUND_KEY, soundOn ? "on" : "off"); } catch (error) { /* not kept */ }
    if (soundOn) wakeAudio();
    render();
  });
  root.addEventListener("change", function (event) {
    if (ex().phase === "rate" && root.querySelector("#player-rate").contains(event.target)) {
      keepRating();
      save();
    }
  });
  $("notes").addEventListener("input", function () {
    state.notes = $("notes").value;
    save();
  });
  document.addEventListener("keydown", function (event) {
    var interactive = event.target.closest && event.target.closest("button, a, input, textarea, select, summary");
    if (event.key !== " " || event.repeat || interactive || state.view !== "exercise") return;
    if (ex().phase !== "count" && ex().phase !== "rest") return;
    event.preventDefault();
    wakeAudio();
    countRep();
  });
  document.addEventListener("backcare:outbox", showStatus);

  // a timer that was running when the page was closed comes back paused (nothing is running yet)
  root.hidden = false;
  render();
})();

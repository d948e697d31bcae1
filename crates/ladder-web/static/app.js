// Ladder: progressive enhancement only. Every page works without this file;
// it makes level tabs switch without a reload and adds an "expand all
// examples" toggle.
//
// Pages are served with a Content-Security-Policy that allows no inline
// script, no inline style and no `on…=` attributes: behaviour lives in this
// file, looks in app.css, and pages hand values over in data- attributes.
// This file is loaded without `defer` so that the watch below is listening
// before the page is parsed; everything else waits for DOMContentLoaded.

// ================================================================ policy
// Counts what the content security policy blocked on this page into
// <html data-csp-violations="N">, and keeps what it was for the tab in
// sessionStorage ("ladder.csp": [{page, blocked}], with "ladder.pages"
// counting the pages this script ran on), so the browser tests can show
// that no page they walk through needs anything the policy forbids.
// Page titles only: addresses may hold a candidate's secret link.
(function () {
  "use strict";
  var root = document.documentElement;
  var count = 0;
  function update(key, change) {
    try {
      var value = JSON.parse(window.sessionStorage.getItem(key) || "null");
      window.sessionStorage.setItem(key, JSON.stringify(change(value)));
    } catch (error) {
      // No storage (private mode, a full quota): the page's own count holds.
    }
  }
  root.setAttribute("data-csp-violations", "0");
  update("ladder.pages", function (pages) { return (pages || 0) + 1; });
  window.addEventListener("securitypolicyviolation", function (event) {
    count += 1;
    root.setAttribute("data-csp-violations", String(count));
    var blocked = event.effectiveDirective + " blocked " + (event.blockedURI || "inline") +
      (event.lineNumber ? " (line " + event.lineNumber + ")" : "");
    update("ladder.csp", function (list) {
      return (list || []).concat([{ page: document.title, blocked: blocked }]);
    });
  }, true);
})();

(function () {
  "use strict";

  function levelTabs() {
    var tabs = Array.prototype.slice.call(document.querySelectorAll("a.level-tab[data-level]"));
    if (tabs.length === 0) return;
    var panels = Array.prototype.slice.call(document.querySelectorAll("section.level-panel[data-level]"));
    var compareFrom = document.querySelector(".compare-box select[name='from']");
    var compareTo = document.querySelector(".compare-box select[name='to']");

    function panelFor(level) {
      return panels.find(function (panel) { return panel.dataset.level === level; });
    }

    // keepHash: when following a link to a behaviour, the fragment must survive;
    // when the user picks a tab, an old fragment would point at a hidden element.
    function select(level, options) {
      if (!panelFor(level)) return;
      tabs.forEach(function (tab) {
        var on = tab.dataset.level === level;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.tabIndex = on ? 0 : -1;
        if (on && options.focus) tab.focus();
      });
      panels.forEach(function (panel) { panel.hidden = panel.dataset.level !== level; });
      var url = new URL(window.location.href);
      url.searchParams.set("level", level);
      if (!options.keepHash) url.hash = "";
      window.history.replaceState(window.history.state, "", url.toString());
      syncCompare(level);
    }

    // Keeps the compare form pointing at the level being read and the next one.
    function syncCompare(level) {
      if (!compareFrom || !compareTo) return;
      var values = Array.prototype.map.call(compareFrom.options, function (o) { return o.value; });
      var index = values.indexOf(level);
      if (index < 0 || values.length < 2) return;
      if (index + 1 < values.length) {
        compareFrom.value = values[index];
        compareTo.value = values[index + 1];
      } else {
        compareFrom.value = values[index - 1];
        compareTo.value = values[index];
      }
    }

    tabs.forEach(function (tab, index) {
      tab.tabIndex = tab.getAttribute("aria-selected") === "true" ? 0 : -1;
      tab.addEventListener("click", function (event) {
        // Let the browser open new tabs/windows as usual.
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        select(tab.dataset.level, { focus: false, keepHash: false });
      });
      tab.addEventListener("keydown", function (event) {
        var target = null;
        if (event.key === "ArrowRight" || event.key === "ArrowDown") target = tabs[(index + 1) % tabs.length];
        else if (event.key === "ArrowLeft" || event.key === "ArrowUp") target = tabs[(index - 1 + tabs.length) % tabs.length];
        else if (event.key === "Home") target = tabs[0];
        else if (event.key === "End") target = tabs[tabs.length - 1];
        else if (event.key === " ") target = tab;
        if (!target) return;
        event.preventDefault();
        select(target.dataset.level, { focus: true, keepHash: false });
      });
    });

    // A link to a behaviour on another level (a shared URL, the back button)
    // reveals that level instead of pointing at a hidden element.
    function revealHash() {
      var id = decodeURIComponent(window.location.hash.slice(1));
      if (!id) return;
      var target = document.getElementById(id);
      var panel = target && target.closest("section.level-panel[data-level]");
      if (panel && panel.hidden) {
        select(panel.dataset.level, { focus: false, keepHash: true });
        target.scrollIntoView();
      }
    }
    window.addEventListener("hashchange", revealHash);
    revealHash();
  }

  function examplesToggle() {
    var button = document.querySelector("button.toggle-examples");
    var all = document.querySelectorAll("details.examples");
    if (!button || all.length === 0) return;
    button.hidden = false;
    function update() {
      var open = Array.prototype.every.call(all, function (d) { return d.open; });
      button.setAttribute("aria-pressed", open ? "true" : "false");
      button.textContent = open ? "Collapse all examples" : "Expand all examples";
    }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-pressed") !== "true";
      Array.prototype.forEach.call(all, function (d) { d.open = open; });
      update();
    });
    // Opening examples one by one keeps the button's label truthful.
    Array.prototype.forEach.call(all, function (d) { d.addEventListener("toggle", update); });
    update();
  }

  function init() {
    levelTabs();
    examplesToggle();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// ================================================================ job specs
// Appended for the job-spec pages: the editor's live weight total (exact,
// in integer basis points, matching the server's Weight::parse), rows added
// and removed without a reload, and confirmation before deleting an item.
(function () {
  "use strict";

  // A non-negative decimal with at most `scale` fractional digits, as an
  // integer count of 10^-scale units; null when it is not one. String
  // arithmetic only: 0.1 + 0.2 must never decide whether weights balance.
  function parseFixed(text, scale) {
    var dot = text.indexOf(".");
    var whole = dot < 0 ? text : text.slice(0, dot);
    var fraction = dot < 0 ? "" : text.slice(dot + 1);
    if (whole === "" && fraction === "") return null;
    if (!/^[0-9]*$/.test(whole) || !/^[0-9]*$/.test(fraction)) return null;
    fraction = fraction.replace(/0+$/, "");
    if (fraction.length > scale || whole.length > 6) return null;
    var units = (whole === "" ? 0 : parseInt(whole, 10)) * Math.pow(10, scale);
    if (fraction !== "") units += parseInt(fraction, 10) * Math.pow(10, scale - fraction.length);
    return units;
  }

  // "0.35", ".35", "35%", "12.5%" -> basis points; null when not a weight.
  function weightPoints(text) {
    var trimmed = text.trim();
    var units = trimmed.charAt(trimmed.length - 1) === "%"
      ? parseFixed(trimmed.slice(0, -1).trim(), 2)
      : parseFixed(trimmed, 4);
    return units !== null && units <= 10000 ? units : null;
  }

  // Basis points -> "0.35", "0.125", "1.00" (as Weight::decimal).
  function decimal(points) {
    var rest = points % 10000;
    var whole = (points - rest) / 10000;
    var fraction = ("0000" + rest).slice(-4).replace(/0+$/, "");
    while (fraction.length < 2) fraction += "0";
    return whole + "." + fraction;
  }

  function totalText(points) {
    if (points === 10000) return "Total weight: " + decimal(points) + " \u2713 balanced";
    if (points < 10000) return "Total weight: " + decimal(points) + " \u2014 add " + decimal(10000 - points);
    return "Total weight: " + decimal(points) + " \u2014 remove " + decimal(points - 10000);
  }

  function liveTotal(form) {
    var output = form.querySelector("output#total-weight");
    if (!output) return;
    function update() {
      var total = 0;
      Array.prototype.forEach.call(form.querySelectorAll("input[name='competency_weight']"), function (input) {
        var text = input.value.trim();
        var points = text === "" ? 0 : weightPoints(text);
        input.classList.toggle("invalid", points === null);
        if (points !== null) total += points;
      });
      output.textContent = totalText(total);
      output.classList.toggle("balanced", total === 10000);
      output.classList.toggle("unbalanced", total !== 10000);
    }
    form.addEventListener("input", function (event) {
      if (event.target && event.target.name === "competency_weight") update();
    });
    form.addEventListener("jobspec:rows", update);
    update();
  }

  // The required checkbox of a must-have names its row by position.
  function renumberMustHaves(form) {
    Array.prototype.forEach.call(form.querySelectorAll("ul.must-have-rows > li.must-row"), function (row, index) {
      var box = row.querySelector("input[name='must_required']");
      if (box) box.value = String(index);
    });
  }

  function rowEditing(form) {
    var counter = form.querySelectorAll("tr.competency-row, li.must-row").length + 100;
    function wireRemove(row) {
      var button = row.querySelector("button.remove-row");
      if (!button) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        row.parentNode.removeChild(row);
        renumberMustHaves(form);
        form.dispatchEvent(new Event("jobspec:rows"));
      });
    }
    Array.prototype.forEach.call(form.querySelectorAll("tr.competency-row, li.must-row"), wireRemove);
    Array.prototype.forEach.call(form.querySelectorAll("button.add-row"), function (button) {
      var template = document.getElementById(button.dataset.template);
      var target = form.querySelector(button.dataset.target);
      if (!template || !target) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        counter += 1;
        var holder = document.createElement(target.tagName === "TBODY" ? "tbody" : "ul");
        holder.innerHTML = template.innerHTML.replace(/__INDEX__/g, String(counter));
        var row = holder.firstElementChild;
        if (!row) return;
        target.appendChild(row);
        wireRemove(row);
        renumberMustHaves(form);
        var first = row.querySelector("input[type='text']");
        if (first) first.focus();
        form.dispatchEvent(new Event("jobspec:rows"));
      });
    });
    // Belt and braces: positions are what the server reads.
    form.addEventListener("submit", function () { renumberMustHaves(form); });
  }

  function confirmations() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-confirm]"), function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  }

  function init() {
    var editor = document.querySelector("form.jobspec-edit");
    if (editor) {
      liveTotal(editor);
      rowEditing(editor);
    }
    confirmations();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// ---------------------------------------------------------------- candidate
// "Read aloud" on the candidate's Round 02 prompts: shown only where the
// browser can speak. Prompts put in place later (an answer sent without a
// reload) are wired when the page says so with a "candidate:updated" event.
(function () {
  "use strict";
  function readAloud() {
    if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") return;
    Array.prototype.forEach.call(document.querySelectorAll("body.candidate button.read-aloud"), function (button) {
      if (button.dataset.wired) return;
      var item = button.closest("li");
      var text = item && item.querySelector(".item-text");
      if (!text) return;
      button.dataset.wired = "true";
      button.hidden = false;
      button.addEventListener("click", function () {
        window.speechSynthesis.cancel();
        window.speechSynthesis.speak(new window.SpeechSynthesisUtterance(text.textContent));
      });
    });
  }
  document.addEventListener("candidate:updated", readAloud);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", readAloud);
  else readAloud();
})();

// ---------------------------------------------------------------- recorder
// Recording an answer on the candidate's page: Record / Stop with the
// browser's MediaRecorder, a playable preview, and an upload whose id goes
// with the item's answer. Without a microphone API (or permission) the
// recorder stays hidden or says so, and typing works as before.
(function () {
  "use strict";
  function supported() {
    return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.MediaRecorder && window.fetch);
  }
  function key() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function wire(box) {
    if (box.dataset.wired) return;
    var form = box.closest("form");
    var item = box.closest(".answer-form");
    var record = box.querySelector("button.record");
    var stop = box.querySelector("button.stop");
    var preview = box.querySelector("audio.preview");
    var status = box.querySelector(".recorder-status");
    var field = box.querySelector("input.audio-id");
    var text = item && item.querySelector("textarea");
    var send = item && item.querySelector("button[type='submit']");
    if (!form || !item || !record || !stop || !preview || !status || !field) return;
    box.dataset.wired = "true";
    box.hidden = false;
    var recorder = null;
    var chunks = [];
    var uploading = false;
    function say(message) { status.textContent = message; }
    function upload(blob) {
      uploading = true;
      item.dataset.uploading = "true";
      if (send) send.disabled = true;
      say("Saving your recording…");
      var type = (blob.type || recorder.mimeType || "audio/webm");
      return window.fetch(box.dataset.upload, {
        method: "POST",
        headers: { "Content-Type": type, "Idempotency-Key": key() },
        body: blob,
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        if (!result.ok) {
          var message = result.body && result.body.error ? result.body.error.message : "the recording could not be saved";
          say("Not saved: " + message + ". You can record again or type your answer.");
          field.value = "";
          return;
        }
        field.value = result.body.audio_id;
        box.dataset.audioId = result.body.audio_id;
        say(result.body.transcript
          ? "Recording saved. Transcript: “" + result.body.transcript + "”. Send your answer when ready."
          : "Recording saved. Add text if you like, then send your answer.");
      }).catch(function () {
        say("Not saved: the connection failed. You can record again or type your answer.");
        field.value = "";
      }).then(function () {
        uploading = false;
        delete item.dataset.uploading;
        if (send) send.disabled = false;
      });
    }
    record.addEventListener("click", function () {
      say("Asking for your microphone…");
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        chunks = [];
        try {
          recorder = new window.MediaRecorder(stream);
        } catch (error) {
          stream.getTracks().forEach(function (t) { t.stop(); });
          say("This browser cannot record here; please type your answer.");
          return;
        }
        recorder.addEventListener("dataavailable", function (event) {
          if (event.data && event.data.size > 0) chunks.push(event.data);
        });
        recorder.addEventListener("stop", function () {
          stream.getTracks().forEach(function (t) { t.stop(); });
          var blob = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
          preview.src = URL.createObjectURL(blob);
          preview.hidden = false;
          record.hidden = false;
          record.textContent = "Record again";
          stop.hidden = true;
          upload(blob);
        });
        recorder.start();
        record.hidden = true;
        stop.hidden = false;
        stop.focus();
        say("Recording… press Stop when you are done.");
      }).catch(function () {
        say("No microphone is available (or permission was refused); please type your answer.");
      });
    });
    stop.addEventListener("click", function () {
      if (recorder && recorder.state !== "inactive") recorder.stop();
    });
    form.addEventListener("submit", function (event) {
      // Only this item's Send waits for this item's recording.
      if (uploading && event.submitter === send) event.preventDefault();
    });
  }
  function init() {
    if (!supported()) return;
    Array.prototype.forEach.call(document.querySelectorAll("body.candidate .recorder[data-upload]"), wire);
  }
  document.addEventListener("candidate:updated", init);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// ---------------------------------------------------------------- answers
// Nothing the candidate types is lost. Each open item's text is kept as a
// draft a second after they stop typing (PUT …/drafts; an empty text
// deletes it), and whatever is still waiting when they leave the page. Send
// posts that item's answer with fetch and puts only that item (or Round 02,
// whose next prompt appears) in its new state, from the page as the server
// now renders it, so text typed elsewhere stays where it is. Without this
// script the page is one form whose Send posts every text, and the server
// keeps the ones not sent as drafts.
(function () {
  "use strict";
  var DELAY = 1000;
  // Someone typing without a pause is still saved this often.
  var LONGEST = 10000;
  function init() {
    var form = document.querySelector("body.candidate form.answers[data-api][data-page]");
    if (!form || !window.fetch || !window.DOMParser) return;
    var api = form.dataset.api;
    var page = form.dataset.page;
    var waiting = {};
    var timers = {};
    var boxes = {};
    var since = {};
    var inflight = {};

    function keyOf(box) { return box.dataset.round + ":" + box.dataset.item; }
    function boxOf(element) { return element.closest(".answer-form[data-round][data-item]"); }
    function say(box, text) {
      var line = box && box.querySelector(".draft-status");
      if (line) line.textContent = text;
    }
    function randomKey() {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    }

    function later(key, delay) {
      window.clearTimeout(timers[key]);
      timers[key] = window.setTimeout(function () { save(key, false); }, delay);
    }

    // Sends the draft waiting for `key`, if any. `leaving`: the page is
    // going away, so the request must outlive it.
    function save(key, leaving) {
      // One request per item at a time, so the last text typed is the last
      // one the server keeps.
      if (inflight[key] && !leaving) {
        return inflight[key].then(function () { return save(key, leaving); });
      }
      var draft = waiting[key];
      window.clearTimeout(timers[key]);
      delete timers[key];
      if (!draft) return Promise.resolve();
      delete waiting[key];
      delete since[key];
      var box = boxes[key];
      var request = window.fetch(api + "/drafts", {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(draft),
        credentials: "same-origin",
        keepalive: leaving
      }).then(function (response) {
        if (leaving || !box || !box.isConnected) return;
        if (response.ok) {
          // Newer text is on its way: say nothing until that is saved.
          if (!waiting[key]) say(box, draft.text.trim() === "" ? "" : "Draft saved.");
        } else if (response.status === 429 || response.status >= 500) {
          if (!waiting[key]) waiting[key] = draft;
          say(box, "Not saved yet; trying again shortly.");
          later(key, 5000);
        } else if (response.status !== 409) {
          say(box, "This draft could not be saved; keep a copy of your text before you leave.");
        }
      }).catch(function () {
        if (leaving || !box || !box.isConnected) return;
        if (!waiting[key]) waiting[key] = draft;
        say(box, "Not saved yet: the connection failed. Trying again shortly.");
        later(key, 5000);
      });
      inflight[key] = request;
      return request.then(function () {
        if (inflight[key] === request) delete inflight[key];
      });
    }

    function saveAll(leaving) {
      return Promise.all(Object.keys(waiting).map(function (key) { return save(key, leaving); }));
    }

    form.addEventListener("input", function (event) {
      var target = event.target;
      if (!target || target.tagName !== "TEXTAREA") return;
      var box = boxOf(target);
      if (!box) return;
      var key = keyOf(box);
      boxes[key] = box;
      waiting[key] = { round: Number(box.dataset.round), item_id: box.dataset.item, text: target.value };
      say(box, "");
      if (!since[key]) since[key] = Date.now();
      later(key, Date.now() - since[key] >= LONGEST ? 0 : DELAY);
    });
    window.addEventListener("pagehide", function () { saveAll(true); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") saveAll(true);
    });

    function showError(box, message) {
      var error = box.querySelector("p.error");
      if (!error) {
        error = document.createElement("p");
        error.className = "error";
        error.setAttribute("role", "alert");
        var label = box.querySelector("label");
        box.insertBefore(error, label ? label.nextSibling : box.firstChild);
      }
      error.textContent = message;
      var field = box.querySelector("textarea");
      if (field) field.setAttribute("aria-invalid", "true");
    }

    function reload() {
      saveAll(false).then(function () { window.location.assign(page); });
    }

    // Puts the answered item (Round 01) or Round 02 in its new state, from
    // the page as the server renders it now.
    function refresh(box) {
      return window.fetch(page, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error("status " + response.status);
          return response.text();
        })
        .then(function (html) {
          var fresh = new window.DOMParser().parseFromString(html, "text/html");
          if (!fresh.querySelector("form.answers")) { reload(); return; }
          var focus = null;
          if (box.dataset.round === "1") {
            var item = box.closest("li.question");
            var next = item && item.id ? fresh.getElementById(item.id) : null;
            if (!next) { reload(); return; }
            next = document.importNode(next, true);
            item.parentNode.replaceChild(next, item);
            next.setAttribute("tabindex", "-1");
            focus = next;
          } else {
            var round2 = document.getElementById("round2");
            var nextRound = fresh.getElementById("round2");
            if (!round2 || !nextRound) { reload(); return; }
            nextRound = document.importNode(nextRound, true);
            round2.parentNode.replaceChild(nextRound, round2);
            focus = nextRound.querySelector(".current-prompt textarea") || nextRound.querySelector("p.progress");
            if (focus && focus.tagName !== "TEXTAREA") focus.setAttribute("tabindex", "-1");
          }
          var finish = document.getElementById("finish");
          var nextFinish = fresh.getElementById("finish");
          if (finish && nextFinish) {
            nextFinish = document.importNode(nextFinish, true);
            finish.parentNode.replaceChild(nextFinish, finish);
            var finishForm = nextFinish.querySelector("form[data-confirm]");
            if (finishForm) {
              finishForm.addEventListener("submit", function (event) {
                if (!window.confirm(finishForm.dataset.confirm)) event.preventDefault();
              });
            }
          }
          document.dispatchEvent(new Event("candidate:updated"));
          if (focus) focus.focus();
        })
        .catch(function () { reload(); });
    }

    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return;
      var button = event.submitter;
      if (!button || button.name !== "send") return;
      var box = boxOf(button);
      if (!box) return;
      event.preventDefault();
      // Sent once at a time, and not while its recording is uploading.
      if (box.dataset.sending || box.dataset.uploading) return;
      var key = keyOf(box);
      // The answer takes the draft's place.
      window.clearTimeout(timers[key]);
      delete timers[key];
      delete waiting[key];
      delete since[key];
      var field = box.querySelector("textarea");
      var audio = box.querySelector("input.audio-id");
      var body = { round: Number(box.dataset.round), item_id: box.dataset.item, text: field ? field.value : "" };
      if (audio && audio.value) body.audio_id = audio.value;
      box.dataset.sending = "true";
      button.disabled = true;
      say(box, "Sending…");
      window.fetch(api + "/answers", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": randomKey() },
        body: JSON.stringify(body),
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().catch(function () { return null; }).then(function (json) {
          return { ok: response.ok, status: response.status, body: json };
        });
      }).then(function (result) {
        if (result.ok) return refresh(box);
        var error = result.body && result.body.error;
        // The link no longer opens this interview (or it is finished): the
        // page says why.
        if (result.status === 404 || result.status === 410 || (result.status === 409 && error && error.code === "conflict")) {
          reload();
          return;
        }
        var message = error ? error.message : "your answer could not be sent";
        showError(box, message.charAt(0).toUpperCase() + message.slice(1) + (/[.!?]$/.test(message) ? "" : "."));
        say(box, "");
      }, function () {
        showError(box, "Your answer was not sent: the connection failed. Try again.");
        say(box, "");
      }).then(function () {
        delete box.dataset.sending;
        button.disabled = false;
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// ---------------------------------------------------------------- copy
// "Copy link" next to a read-only link field (candidate links on the staff
// pages). Without this script the button stays hidden and the field is
// there to select and copy by hand; with it, a focused field selects itself.
(function () {
  "use strict";
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("input.link-field[readonly]"), function (field) {
      field.addEventListener("focus", function () { field.select(); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("button.copy[data-copy]"), function (button) {
      var field = document.getElementById(button.dataset.copy);
      if (!field) return;
      var holder = button.closest(".link-copy");
      var status = holder && holder.querySelector(".copy-status");
      function say(text) { if (status) status.textContent = text; }
      function byHand() {
        field.focus();
        field.select();
        var copied = false;
        try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
        say(copied ? "Copied." : "Press Ctrl+C (or \u2318C) to copy the selected link.");
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(function () { say("Copied."); }, byHand);
        } else {
          byHand();
        }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// ================================================================ times
// Times print as "3 minutes ago" or a date, with the exact time in UTC on
// hover. Here the hover text becomes the reader's own time zone.
(function () {
  "use strict";
  function init() {
    var times = document.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var at = new Date(times[i].getAttribute("datetime"));
      if (!isNaN(at.getTime())) {
        times[i].title = at.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
      }
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// ================================================================ progression
// The assessment editor saves a behaviour as soon as its rating (or, when the
// field is left, its note or links) changes, through the JSON API with the
// session's CSRF token. Without this script each level's Save button does
// the same with a plain form post.
(function () {
  "use strict";

  function wire(page) {
    var url = page.dataset.marksUrl;
    var csrfField = page.querySelector("input[name='csrf']");
    if (!url || !csrfField || !window.fetch) return;
    var csrf = csrfField.value;

    function fieldValue(box, prefix) {
      var id = box.dataset.criterion;
      var field = box.querySelector("[name='" + prefix + "." + CSS.escape(id) + "']" + (prefix === "rating" ? ":checked" : ""));
      return field ? field.value : "";
    }

    function save(box) {
      var status = box.querySelector(".save-status");
      var rating = fieldValue(box, "rating");
      var links = fieldValue(box, "links").split(/\r?\n/).map(function (l) { return l.trim(); }).filter(function (l) { return l !== ""; });
      var body = { marks: [{
        criterion_id: box.dataset.criterion,
        rating: rating === "" ? null : rating,
        note: fieldValue(box, "note"),
        links: links
      }] };
      if (status) { status.classList.remove("failed"); status.textContent = "Saving…"; }
      box.dataset.saving = "true";
      return window.fetch(url, {
        method: "PUT",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify(body),
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (json) { return { ok: response.ok, json: json }; }, function () { return { ok: response.ok, json: null }; });
      }).then(function (result) {
        if (!status) return;
        if (result.ok) {
          status.textContent = "Saved";
          box.className = box.className.replace(/\b(unrated|not_yet|sometimes|consistently)\b/, rating === "" ? "unrated" : rating);
          box.dataset.saved = rating === "" ? "unrated" : rating;
        } else {
          status.classList.add("failed");
          status.textContent = "Not saved: " + (result.json && result.json.error ? result.json.error.message : "the server refused it") + ". Use the Save button below.";
        }
      }).catch(function () {
        if (status) { status.classList.add("failed"); status.textContent = "Not saved: the connection failed. Use the Save button below."; }
      }).then(function () { box.dataset.saving = "false"; });
    }

    Array.prototype.forEach.call(page.querySelectorAll(".behaviour[data-criterion]"), function (box) {
      Array.prototype.forEach.call(box.querySelectorAll("input[type='radio']"), function (radio) {
        radio.addEventListener("change", function () { save(box); });
      });
      Array.prototype.forEach.call(box.querySelectorAll("textarea"), function (area) {
        area.addEventListener("change", function () { save(box); });
      });
    });
  }

  function init() {
    var page = document.querySelector(".assessment-page.editable[data-marks-url]");
    if (page) wire(page);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// ================================================================ placing
// The placement form offers every framework's sub-levels until one is
// chosen; once it is, only that framework's letters and levels.
(function () {
  "use strict";
  function narrow(select) {
    var chosen = select.options[select.selectedIndex];
    var form = select.form;
    if (!chosen || !form) return;
    var sublevel = form.querySelector("select[name='sublevel']");
    if (sublevel) {
      var letters = (chosen.getAttribute("data-sublevels") || "").split(",").filter(function (l) { return l; });
      var current = sublevel.value;
      while (sublevel.options.length > 1) sublevel.remove(1);
      letters.forEach(function (letter) {
        var option = document.createElement("option");
        option.value = letter;
        option.textContent = letter;
        option.selected = letter === current;
        sublevel.appendChild(option);
      });
      sublevel.disabled = letters.length === 0;
    }
    ["level", "target_level"].forEach(function (name) {
      var input = form.querySelector("input[name='" + name + "']");
      if (!input) return;
      var min = chosen.getAttribute("data-min-level");
      var max = chosen.getAttribute("data-max-level");
      if (min && max && max !== "0") { input.min = min; input.max = max; }
    });
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("select[name='framework']"), function (select) {
      if (!select.querySelector("option[data-sublevels]")) return;
      select.addEventListener("change", function () { narrow(select); });
      if (select.value) narrow(select);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

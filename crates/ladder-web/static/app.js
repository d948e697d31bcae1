// Ladder: progressive enhancement only. Every page works without this file;
// it makes level tabs switch without a reload and adds an "expand all
// examples" toggle.
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

/* Self-test: "Test yourself", "Knew it" / "Review again", "Mark page as read", progress,
   filters and export/import on the questions index.

   Every control is in the HTML already (scripts/content/questions.py writes them at build
   time); this file only reads and sets their state, so nothing is inserted or moved after the
   first paint. State lives in one localStorage key, versioned; nothing leaves the browser.
   Works over http and from file:// (no request is made), and with Material's instant
   navigation (re-synced on every `document$` emission). */
(function () {
  "use strict";

  var KEY = "k8s-field-notes/selftest/v1";
  var FORMAT = "k8s-field-notes-progress";
  var memory = null; // used when localStorage is unavailable (private modes, blocked storage)

  function empty() { return { version: 1, marks: {}, read: {} }; }

  function clean(data) {
    // Keep only what this version understands: marks "known"/"review", read pages true.
    var state = empty();
    if (!data || typeof data !== "object") return null;
    var marks = data.marks || {}, read = data.read || {};
    if (typeof marks !== "object" || typeof read !== "object") return null;
    Object.keys(marks).forEach(function (k) {
      if (marks[k] === "known" || marks[k] === "review") state.marks[k] = marks[k];
    });
    Object.keys(read).forEach(function (k) { if (read[k]) state.read[k] = true; });
    return state;
  }

  function load() {
    try {
      var raw = window.localStorage.getItem(KEY);
      return (raw && clean(JSON.parse(raw))) || empty();
    } catch (e) {
      return memory || empty();
    }
  }

  function save(state) {
    memory = state;
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* memory */ }
  }

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  function questions() { return all("details.question[data-qz-key]"); }

  function article() { return document.querySelector("article.md-content__inner") || document.body; }

  /* ---------------------------------------------------------------- groups on the index */

  // A status line ([data-qz-group]) counts the questions after it, up to the next heading.
  function groupOf(status) {
    var found = [], el = status.nextElementSibling;
    while (el && !/^H[1-3]$/.test(el.tagName)) {
      if (el.matches("details.question[data-qz-key]")) found.push(el);
      el = el.nextElementSibling;
    }
    return found;
  }

  /* ---------------------------------------------------------------- showing the state */

  function count(list, state, kind) {
    return list.filter(function (d) { return state.marks[d.dataset.qzKey] === kind; }).length;
  }

  function setText(el, text) { if (el.textContent !== text) el.textContent = text; }

  function sync() {
    var state = load(), list = questions();
    list.forEach(function (d) {
      var mark = state.marks[d.dataset.qzKey] || "";
      if (mark) d.dataset.qzState = mark; else delete d.dataset.qzState;
      all(".qz-mark", d).forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.dataset.qzMark === mark));
      });
    });
    all(".qz-read-toggle").forEach(function (b) {
      b.setAttribute("aria-pressed", String(!!state.read[b.dataset.qzPage]));
    });
    all("[data-qz-count]").forEach(function (el) {
      var kind = el.dataset.qzCount, scope = list;
      if (kind === "read") {
        var pages = (el.dataset.qzPages || "").split(" ").filter(Boolean);
        setText(el, String(pages.filter(function (p) { return state.read[p]; }).length));
        return;
      }
      if (kind === "visible") {
        setText(el, String(list.filter(function (d) { return !d.hidden; }).length));
        return;
      }
      var group = el.closest("[data-qz-group]");
      if (el.dataset.qzSection) {
        scope = list.filter(function (d) { return d.dataset.qzSection === el.dataset.qzSection; });
      } else if (group) {
        scope = groupOf(group);
      }
      setText(el, String(count(scope, state, kind)));
    });
  }

  /* ---------------------------------------------------------------- actions */

  function setTesting(on) {
    var root = article();
    all(".qz-mode").forEach(function (b) { b.setAttribute("aria-pressed", String(on)); });
    if (on) root.setAttribute("data-qz-testing", ""); else root.removeAttribute("data-qz-testing");
    questions().forEach(function (d) {
      delete d.dataset.qzShown;
      d.open = on;  // test mode: every question shown, its answer hidden until revealed
      var reveal = d.querySelector(".qz-reveal");
      if (reveal) { reveal.setAttribute("aria-expanded", "false"); setText(reveal, "Show answer"); }
    });
  }

  function reveal(button) {
    var d = button.closest("details.question"), shown = button.getAttribute("aria-expanded") !== "true";
    if (shown) d.dataset.qzShown = ""; else delete d.dataset.qzShown;
    d.open = true;
    button.setAttribute("aria-expanded", String(shown));
    setText(button, shown ? "Hide answer" : "Show answer");
  }

  function mark(button) {
    var key = button.closest("details.question").dataset.qzKey, state = load();
    if (state.marks[key] === button.dataset.qzMark) delete state.marks[key];
    else state.marks[key] = button.dataset.qzMark;
    save(state);
    sync();
  }

  function toggleRead(button) {
    var state = load(), page = button.dataset.qzPage;
    if (state.read[page]) delete state.read[page]; else state.read[page] = true;
    save(state);
    sync();
  }

  function filter() {
    var want = {};
    all("[data-qz-filter]").forEach(function (s) { want[s.dataset.qzFilter] = s.value; });
    var state = load();
    questions().forEach(function (d) {
      var mark = state.marks[d.dataset.qzKey] || "new";
      d.hidden = !((!want.section || d.dataset.qzSection === want.section)
        && (!want.exam || (d.dataset.qzExams || "").split(" ").indexOf(want.exam) >= 0)
        && (!want.state || mark === want.state));
    });
    // A section (H2) or page group (H3 and its status line) with nothing left is hidden too.
    var sections = [], section = null, group = null;
    all(".md-content__inner > *").forEach(function (el) {
      if (el.tagName === "H2") {
        section = { heading: el, groups: [] }; sections.push(section); group = null;
      } else if (el.tagName === "H3" && section) {
        group = { els: [el], shown: false }; section.groups.push(group);
      } else if (group && el.matches("[data-qz-group]")) {
        group.els.push(el);
      } else if (group && el.matches("details.question[data-qz-key]") && !el.hidden) {
        group.shown = true;
      }
    });
    sections.forEach(function (s) {
      if (!s.groups.length) return;
      s.heading.hidden = !s.groups.some(function (g) { return g.shown; });
      s.groups.forEach(function (g) { g.els.forEach(function (el) { el.hidden = !g.shown; }); });
    });
    sync();
  }

  function message(text) {
    all(".qz-message").forEach(function (el) { el.textContent = text; });
  }

  function exportProgress() {
    var state = load();
    var data = { format: FORMAT, version: 1, exported: new Date().toISOString(),
                 marks: state.marks, read: state.read };
    var blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
    var url = URL.createObjectURL(blob), a = document.createElement("a");
    a.href = url;
    a.download = "kubernetes-field-notes-progress.json";
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    message("Exported " + Object.keys(state.marks).length + " marks and "
            + Object.keys(state.read).length + " pages read.");
  }

  function importProgress(file) {
    var reader = new FileReader();
    reader.onload = function () {
      var data = null;
      try { data = JSON.parse(reader.result); } catch (e) { data = null; }
      var state = data && data.format === FORMAT && data.version === 1 && clean(data);
      if (!state) {
        message("Not imported: " + file.name + " is not a progress file of this site.");
        return;
      }
      save(state);
      sync();
      message("Imported " + Object.keys(state.marks).length + " marks and "
              + Object.keys(state.read).length + " pages read from " + file.name + ".");
    };
    reader.readAsText(file);
  }

  /* ---------------------------------------------------------------- wiring */

  // One set of listeners on the document (they survive instant navigation).
  document.addEventListener("click", function (event) {
    var b = event.target.closest && event.target.closest("button.qz-btn");
    if (!b) return;
    if (b.classList.contains("qz-mode")) setTesting(b.getAttribute("aria-pressed") !== "true");
    else if (b.classList.contains("qz-reveal")) reveal(b);
    else if (b.classList.contains("qz-mark")) mark(b);
    else if (b.classList.contains("qz-read-toggle")) toggleRead(b);
    else if (b.classList.contains("qz-export")) exportProgress();
    else if (b.classList.contains("qz-import")) {
      var input = document.querySelector(".qz-import-file");
      if (input) { input.value = ""; input.click(); }
    }
  });
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches("[data-qz-filter]")) filter();
    else if (el.matches(".qz-import-file") && el.files && el.files[0]) importProgress(el.files[0]);
  });
  window.addEventListener("storage", function (event) { if (event.key === KEY) sync(); });

  function init() {
    if (document.querySelector("[data-qz-filter]")) filter(); else sync();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

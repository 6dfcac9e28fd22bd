/*
 * Search for learners, in front of Material's search worker. Loaded after the iframe-worker
 * shim (file://) and before Material's bundle, so it wraps whichever Worker the bundle creates.
 * Relies on Material 9's worker messages: 0 SETUP (the index), 2 QUERY (the typed text),
 * 3 RESULT ({items}). See DESIGN.md for the test that notices when that changes.
 *
 * 1. The index on demand. Material loads the index as soon as a page loads, whether or not
 *    the reader searches (its search highlighter subscribes to it on every page): over http
 *    an XMLHttpRequest for search/search_index.json (190 KiB gzip), on file:// a <script> for
 *    search/search_index.js. Both are held here until the reader shows intent: hovers or taps
 *    the search box or its button, focuses it, presses "/", "s" or "f", or opens a ?q= or ?h=
 *    link. Hovering starts the download early, so the index is usually there by the first key.
 *
 * 2. Queries as learners type them. Material hands the text to lunr, which ORs the words
 *    ("drain node" listed every page with "node"), reads a leading "-" as "exclude" (so a
 *    kubectl flag such as --cpu-percent was a syntax error) and knows no abbreviations. Each
 *    query is rewritten before it reaches the worker:
 *    - words are split like the index splits them, and lunr's stop words are dropped (the
 *      index holds none: a required stop word would match nothing);
 *    - a word equal to a kubectl short name or abbreviation (`svc`, `pvc`, `netpol`; the map
 *      comes with the index, from data/search-aliases.yaml) becomes the words it stands for;
 *      typed alone it is searched as itself, boosted, plus a one-word meaning (`svc^10 service`,
 *      `pss^10`): the build put it in a hidden `keywords` field of its page;
 *    - a word of 5+ letters that starts no word of the index is corrected to the index word
 *      (or word start) one edit away: insert, delete, replace or swap two letters
 *      ("deploymnet" -> "deployment", "tolerration" -> "toleration");
 *    - two or more words are all required, each as a prefix that also finds the plural or
 *      singular (`+drain* +node*`, `+network* +polic*`); if no section holds them all, the
 *      query is sent again with the words ORed (Material's own form).
 *    A single `--flag` keeps its earlier exact form: `+cpu +percent* percent^2`. A query with
 *    lunr syntax of its own (+ ~ ^ * : " or a leading single "-") is left to lunr.
 */
(function () {
  "use strict";
  var SETUP = 0, QUERY = 2, RESULT = 3;
  var STOP = ("a able about across after all almost also am among an and any are as at be " +
    "because been but by can cannot could dear did do does either else ever every for from get " +
    "got had has have he her hers him his how however i if in into is it its just least let like " +
    "likely may me might most must my neither no nor not of off often on only or other our own " +
    "rather said say says she should since so some than that the their them then there these " +
    "they this tis to too twas us wants was we were what when where which while who whom why " +
    "will with would yet you your").split(" ");

  /* ------------------------------------------------------------ 1. index on demand */

  /* ?q= opens search; ?h= (a page opened from a result) highlights the words with it */
  var wanted = /[?&][qh]=/.test(location.search);
  var held = [];
  var INDEX = /(^|\/)search\/search_index\.js(on)?$/;

  function want() {
    if (wanted) return;
    wanted = true;
    held.splice(0).forEach(function (send) { send(); });
  }

  var XHR = window.XMLHttpRequest;
  if (XHR) {
    var open = XHR.prototype.open, send = XHR.prototype.send;
    XHR.prototype.open = function (method, url) {
      this.__searchIndex = INDEX.test(String(url).split(/[?#]/)[0]);
      return open.apply(this, arguments);
    };
    XHR.prototype.send = function () {
      if (!this.__searchIndex || wanted) return send.apply(this, arguments);
      var xhr = this, args = arguments;
      held.push(function () { send.apply(xhr, args); });
    };
  }

  /* file://: Material adds <script src=".../search/search_index.js"> to <head> (its search
     highlighter subscribes to the index on every page): hold the element until intent. */
  var head = document.head, append = head.appendChild;
  head.appendChild = function (node) {
    if (wanted || !(node instanceof HTMLScriptElement) || !INDEX.test(node.src.split(/[?#]/)[0]))
      return append.apply(this, arguments);
    held.push(function () { append.call(head, node); });
    return node;
  };

  function inSearch(target) {
    return target instanceof Element &&
      !!target.closest(".md-search, label[for='__search'], [data-md-toggle='search']");
  }
  ["pointerover", "touchstart", "focusin", "change"].forEach(function (type) {
    document.addEventListener(type, function (ev) {
      if (inSearch(ev.target)) want();
    }, { capture: true, passive: true });
  });
  document.addEventListener("keydown", function (ev) {
    if (/^[/sSfF]$/.test(ev.key) && !ev.ctrlKey && !ev.metaKey && !ev.altKey) want();
  }, true);

  /* ------------------------------------------------------------ 2. query rewriting */

  var index = null; /* {separator, aliases, docs, vocab} from the SETUP message */

  function remember(data) {
    var config = data.config || {};
    index = {
      separator: new RegExp(config.separator || "[\\s\\-]+", "g"),
      aliases: config.aliases || {},
      docs: data.docs || [],
      vocab: null
    };
    /* Build the word list while the worker builds its index, not on the first key. */
    (window.requestIdleCallback || setTimeout)(function () { vocabulary(); });
  }

  function tokens(text) {
    return text.toLowerCase().split(index.separator).filter(function (t) { return t; });
  }

  /* Sorted distinct words of the index and how often each occurs. */
  function vocabulary() {
    if (index.vocab) return index.vocab;
    var counts = Object.create(null);
    index.docs.forEach(function (doc) {
      [doc.title, doc.text, doc.code].forEach(function (field) {
        if (typeof field !== "string") return;
        tokens(field.replace(/<[^>]*>/g, " ")).forEach(function (t) {
          counts[t] = (counts[t] || 0) + 1;
        });
      });
    });
    var words = Object.keys(counts).sort();
    return (index.vocab = { words: words, counts: counts });
  }

  function startsSomeWord(prefix, words) {
    var lo = 0, hi = words.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (words[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    return lo < words.length && words[lo].lastIndexOf(prefix, 0) === 0;
  }

  /* True when a and b differ by at most one insertion, deletion, replacement or swap. */
  function oneEdit(a, b) {
    var la = a.length, lb = b.length, i = 0;
    if (Math.abs(la - lb) > 1) return false;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  /* The index word start one edit away from a word no index word starts with, or the word. */
  function corrected(word) {
    if (word.length < 5 || !/^[a-z]+$/.test(word)) return word;
    var vocab = vocabulary();
    if (startsSomeWord(word, vocab.words)) return word;
    var weight = Object.create(null), best = word, bestWeight = 0;
    vocab.words.forEach(function (w) {
      for (var n = word.length - 1; n <= word.length + 1; n++) {
        if (n > w.length) break;
        var start = w.slice(0, n);
        if (oneEdit(word, start)) weight[start] = (weight[start] || 0) + vocab.counts[w];
      }
    });
    Object.keys(weight).forEach(function (start) {
      if (weight[start] > bestWeight) { best = start; bestWeight = weight[start]; }
    });
    return best;
  }

  function flagQuery(flag) {
    var words = flag.split(/[-_.=:\/]+/).filter(function (word) {
      return word && STOP.indexOf(word.toLowerCase()) < 0;
    });
    if (!words.length) return "";
    var last = words.pop();
    return words.map(function (word) { return "+" + word; })
      .concat(["+" + last + "*", last + "^2"]).join(" ");
  }

  function flagsOnly(query) {
    return query.replace(/(^|\s)--([A-Za-z][^\s]*)/g, function (all, before, flag) {
      return before + flagQuery(flag);
    });
  }

  /* A word as a prefix that also finds its plural and singular: policy, policies -> polic*. */
  function stem(term) {
    if (!/^[a-z]{4,}$/.test(term)) return term;
    if (/ies$/.test(term) && term.length > 5) return term.slice(0, -3);
    if (/[^s]s$/.test(term) || /y$/.test(term)) return term.slice(0, -1);
    return term;
  }

  /* The queries to try in turn for what the reader typed: the first with results wins. */
  function plan(query) {
    var text = query.trim();
    if (!index || !text) return [query];
    if (/^--[A-Za-z][^\s]*$/.test(text) || /[+~^*:"]|(^|\s)-(?!-)/.test(text))
      return [flagsOnly(query)];
    var words = tokens(text.replace(/(^|\s)--/g, "$1"));
    if (words.length === 1) {
      var word = words[0], alias = index.aliases[word];
      if (alias) { /* its page holds it as a keyword; a one-word meaning is searched too */
        var meaning = tokens(alias);
        return [word + "^10" + (meaning.length === 1 ? " " + meaning[0] : "")];
      }
      return STOP.indexOf(word) < 0 ? [corrected(word)] : [query];
    }
    var terms = [];
    words.forEach(function (word) {
      var alias = index.aliases[word];
      (alias ? tokens(alias) : [corrected(word)]).forEach(function (term) {
        term = stem(term);
        if (STOP.indexOf(term) < 0 && terms.indexOf(term) < 0) terms.push(term);
      });
    });
    if (!terms.length) return [query];
    if (terms.length === 1) return [terms[0]];
    return ["+" + terms.join("* +") + "*", terms.join(" ")];
  }

  /* --------------------------------------------------- wiring into the worker channel */

  var Worker = window.Worker;
  if (!Worker || !Worker.prototype.postMessage) return;
  var post = Worker.prototype.postMessage;
  var add = Worker.prototype.addEventListener;
  var remove = Worker.prototype.removeEventListener;
  var pending = []; /* per query sent to the worker: the fallback queries left */
  var wrappers = new WeakMap();

  Worker.prototype.postMessage = function (message) {
    var args = Array.prototype.slice.call(arguments);
    if (message && message.type === SETUP && message.data) remember(message.data);
    if (message && message.type === QUERY && typeof message.data === "string") {
      var tries = plan(message.data);
      pending.push({ worker: this, rest: tries.slice(1) });
      args[0] = { type: QUERY, data: tries[0] };
    }
    return post.apply(this, args);
  };

  /* Decide once per message (however many listeners): true = hide it, a fallback was sent. */
  function superseded(ev) {
    if (ev.__searchSuperseded !== undefined) return ev.__searchSuperseded;
    var hide = false, data = ev.data;
    if (data && data.type === RESULT && pending.length) {
      var job = pending.shift();
      var empty = !(data.data && data.data.items && data.data.items.length);
      if (empty && job.rest.length && !pending.length) {
        pending.push({ worker: job.worker, rest: job.rest.slice(1) });
        post.call(job.worker, { type: QUERY, data: job.rest[0] });
        hide = true;
      }
    }
    try { ev.__searchSuperseded = hide; } catch (e) { /* frozen event: one listener */ }
    return hide;
  }

  Worker.prototype.addEventListener = function (type, listener, options) {
    if (type !== "message" || typeof listener !== "function")
      return add.apply(this, arguments);
    var wrapped = function (ev) {
      if (!superseded(ev)) return listener.call(this, ev);
    };
    wrappers.set(listener, wrapped);
    return add.call(this, type, wrapped, options);
  };
  Worker.prototype.removeEventListener = function (type, listener, options) {
    return remove.call(this, type, wrappers.get(listener) || listener, options);
  };
})();

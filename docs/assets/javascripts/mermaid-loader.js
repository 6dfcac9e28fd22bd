/*
 * Why this file exists: Material for MkDocs renders ```mermaid fences itself, but when
 * window.mermaid is undefined it fetches mermaid from unpkg.com, which fails offline and
 * sends readers to a CDN. Loading the local 3.4 MiB UMD build on every page would make it
 * ~90% of every page's weight. So this stub defines window.mermaid on every page (a few
 * hundred bytes) and loads the local build, copied from npm by the build, only when Material
 * actually renders a diagram. It works with instant navigation, from file:// and on the
 * print page, because it is one ordinary script that needs no per-page build step.
 *
 * Lazy rendering: parsing and running mermaid costs ~2 s of main thread on a mid phone, so
 * render() waits until its diagram comes within about one screen of the viewport; a page
 * whose diagrams are all further down never loads mermaid during load. The print page (the
 * PDF export waits for every diagram) and tests (window.__eagerDiagrams = true) stay eager.
 */
(function () {
  "use strict";
  if (window.mermaid) return;
  var script = document.currentScript;
  var src = new URL("../vendor/mermaid/mermaid.min.js", script.src).href;
  var settings = {};
  var ready = null;
  var stub;

  function load() {
    if (!ready) {
      ready = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = src;
        tag.onload = function () {
          var mermaid = window.mermaid;
          // Keep the stub global, so diagrams on later (instant navigation) pages stay lazy.
          window.mermaid = stub;
          mermaid.initialize(settings);
          resolve(mermaid);
        };
        tag.onerror = function () { reject(new Error("mermaid-loader: cannot load " + src)); };
        document.head.appendChild(tag);
      });
    }
    return ready;
  }

  function eager() {
    return window.__eagerDiagrams === true || !("IntersectionObserver" in window) ||
      document.getElementById("print-site-page") !== null;
  }

  // Material calls render(id, pre.textContent) once for each pre.mermaid: find that element
  // (the first one with this text not already claimed) to know where the diagram is.
  function source(text) {
    var all = document.querySelectorAll("pre.mermaid");
    for (var i = 0; i < all.length; i++)
      if (!all[i].__mermaidClaimed && all[i].textContent === text) {
        all[i].__mermaidClaimed = true;
        return all[i];
      }
    return null;
  }

  function nearViewport(el) {
    return new Promise(function (resolve) {
      var io = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) {
          io.disconnect();
          resolve();
        }
      }, { rootMargin: "100% 0px" });  // one viewport height above and below the screen
      io.observe(el);
    });
  }

  stub = window.mermaid = {
    initialize: function (config) { settings = config; },
    render: function (id, text) {
      var el = eager() ? null : source(text);
      var wait = el ? nearViewport(el) : Promise.resolve();
      return wait.then(load).then(function (mermaid) { return mermaid.render(id, text); });
    }
  };
})();

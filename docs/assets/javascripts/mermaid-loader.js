/*
 * Why this file exists: Material for MkDocs renders ```mermaid fences itself, but when
 * window.mermaid is undefined it fetches mermaid from unpkg.com, which fails offline and
 * sends readers to a CDN. Loading the local 3.4 MiB UMD build on every page would make it
 * ~90% of every page's weight. So this stub defines window.mermaid on every page (a few
 * hundred bytes) and loads the local build, copied from npm by the build, only when Material
 * actually renders a diagram. It works with instant navigation, from file:// and on the
 * print page, because it is one ordinary script that needs no per-page build step.
 */
(function () {
  "use strict";
  if (window.mermaid) return;
  var script = document.currentScript;
  var src = new URL("../vendor/mermaid/mermaid.min.js", script.src).href;
  var settings = {};
  var ready = null;

  function load() {
    if (!ready) {
      ready = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = src;
        tag.onload = function () {
          var mermaid = window.mermaid;
          mermaid.initialize(settings);
          resolve(mermaid);
        };
        tag.onerror = function () { reject(new Error("mermaid-loader: cannot load " + src)); };
        document.head.appendChild(tag);
      });
    }
    return ready;
  }

  window.mermaid = {
    initialize: function (config) { settings = config; },
    render: function (id, text) {
      return load().then(function (mermaid) { return mermaid.render(id, text); });
    }
  };
})();

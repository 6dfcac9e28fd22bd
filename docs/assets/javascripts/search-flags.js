/*
 * Why this file exists: Material's search hands the typed text to lunr, whose query syntax
 * reads a leading "-" as "leave out pages with the next word". A kubectl flag such as
 * `--cpu-percent` is two such operators in a row, a syntax error, so search shows nothing
 * (only "Invalid query" in the console). Before a query reaches the search worker, this stub
 * rewrites each `--flag` into its words, all required: `+cpu +percent* percent^2` (the last
 * word may still be half-typed; an exact last word ranks higher). lunr's English stop words
 * are dropped because the index holds none of them and a required stop word would match
 * nothing (`--all-namespaces`). Single-dash words keep lunr's meaning.
 * It wraps the worker's postMessage: a real Worker over http, the iframe-worker shim (loaded
 * earlier, in <head>) on file://, so it must run before Material's bundle creates the worker.
 */
(function () {
  "use strict";
  var QUERY = 2; /* SearchMessageType.QUERY in Material 9 */
  var STOP = ("a able about across after all almost also am among an and any are as at be " +
    "because been but by can cannot could dear did do does either else ever every for from get " +
    "got had has have he her hers him his how however i if in into is it its just least let like " +
    "likely may me might most must my neither no nor not of off often on only or other our own " +
    "rather said say says she should since so some than that the their them then there these " +
    "they this tis to too twas us wants was we were what when where which while who whom why " +
    "will with would yet you your").split(" ");

  function flagQuery(flag) {
    var words = flag.split(/[-_.=:\/]+/).filter(function (word) {
      return word && STOP.indexOf(word.toLowerCase()) < 0;
    });
    if (!words.length) return "";
    var last = words.pop();
    return words.map(function (word) { return "+" + word; })
      .concat(["+" + last + "*", last + "^2"]).join(" ");
  }

  function rewrite(query) {
    return query.replace(/(^|\s)--([A-Za-z][^\s]*)/g, function (all, before, flag) {
      return before + flagQuery(flag);
    });
  }

  var Worker = window.Worker;
  if (!Worker || !Worker.prototype.postMessage) return;
  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    var args = Array.prototype.slice.call(arguments);
    if (message && message.type === QUERY && typeof message.data === "string")
      args[0] = { type: QUERY, data: rewrite(message.data) };
    return post.apply(this, args);
  };
})();

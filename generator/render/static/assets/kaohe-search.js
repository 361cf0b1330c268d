/* kaohe's search worker for Material for MkDocs: finds Chinese words, whole words first.
 *
 * Material's own worker segments a Chinese query greedily against the index and never considers
 * the whole query as one word: "安龙" became "安*" and matched every 安全 (162 results). This
 * worker speaks the same messages (SETUP → READY, QUERY → RESULT) over the same search_index.json,
 * and matches each query word as a substring of the page's title and text, every word required.
 * Ranking: a match in the title before one in the text, a whole word (as jieba segmented the page
 * at build time, between U+200B marks) before part of a word, then the page's boost (score sheets
 * first). Nothing is fetched: the index is what Material posts to the worker.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var docs = [];
var pages = {};
var SEPARATORS = /[\s\u200b\u3000、。，．？！；：:,.;!?（）()【】《》“”"'·\-\/|]+/;

function decode(html) {
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/&#x([0-9a-f]+);/gi, function (_, h) { return String.fromCodePoint(parseInt(h, 16)); })
    .replace(/&#([0-9]+);/g, function (_, d) { return String.fromCodePoint(parseInt(d, 10)); })
    .replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function prepare(doc) {
  var title = decode(doc.title || "");
  var text = decode(doc.text || "");
  var words = {};
  (title + "\u200b" + text).split(SEPARATORS).forEach(function (w) { if (w) words[w.toLowerCase()] = true; });
  return {
    doc: doc,
    page: doc.location.split("#")[0],
    title: title.replace(/\u200b/g, ""),
    text: text.replace(/\u200b/g, "").replace(/\s+/g, " ").trim(),
    words: words,
    boost: typeof doc.boost === "number" ? doc.boost : 1
  };
}

function score(entry, terms) {
  var total = 0;
  var title = entry.title.toLowerCase();
  var text = entry.text.toLowerCase();
  for (var i = 0; i < terms.length; i++) {
    var term = terms[i];
    var inTitle = title.indexOf(term);
    var inText = text.indexOf(term);
    if (inTitle < 0 && inText < 0) return 0;
    var s = 1;
    if (inTitle >= 0) s += 10 + (inTitle === 0 ? 3 : 0);
    if (entry.words[term]) s += 5;
    total += s;
  }
  if (entry.doc.location.indexOf("#") < 0) total += 1;
  return total * entry.boost;
}

function mark(text, terms) {
  var lower = text.toLowerCase();
  var spans = [];
  terms.forEach(function (term) {
    var at = lower.indexOf(term);
    while (at >= 0) {
      spans.push([at, at + term.length]);
      at = lower.indexOf(term, at + term.length);
    }
  });
  spans.sort(function (a, b) { return a[0] - b[0]; });
  var out = "", pos = 0;
  spans.forEach(function (span) {
    if (span[0] < pos) return;
    out += escapeHtml(text.slice(pos, span[0])) + "<mark>" + escapeHtml(text.slice(span[0], span[1])) + "</mark>";
    pos = span[1];
  });
  return out + escapeHtml(text.slice(pos));
}

function snippet(text, terms) {
  var lower = text.toLowerCase();
  var first = -1;
  terms.forEach(function (term) {
    var at = lower.indexOf(term);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  });
  var start = Math.max(0, (first < 0 ? 0 : first) - 40);
  var end = Math.min(text.length, start + 160);
  return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
}

function search(query) {
  var terms = query.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
  if (!terms.length) return { items: [] };
  var groups = {};
  var order = [];
  docs.forEach(function (entry) {
    var s = score(entry, terms);
    if (!s) return;
    if (!groups[entry.page]) { groups[entry.page] = { best: 0, items: [] }; order.push(entry.page); }
    var group = groups[entry.page];
    group.best = Math.max(group.best, s);
    var found = {};
    terms.forEach(function (t) { found[t] = true; });
    group.items.push({
      location: entry.doc.location,
      title: mark(entry.title, terms),
      text: "<p>" + mark(snippet(entry.text, terms), terms) + "</p>",
      score: s,
      terms: found
    });
  });
  var items = order.map(function (page) {
    var group = groups[page];
    group.items.sort(function (a, b) { return b.score - a.score; });
    if (!group.items.some(function (i) { return i.location === page; }) && pages[page]) {
      group.items.push({ location: page, title: escapeHtml(pages[page].title), text: "", score: 0, terms: {} });
    }
    return group;
  });
  items.sort(function (a, b) { return b.best - a.best; });
  return { items: items.map(function (g) { return g.items; }) };
}

addEventListener("message", function (ev) {
  var message = ev.data;
  if (message.type === SETUP) {
    docs = message.data.docs.map(prepare);
    docs.forEach(function (entry) {
      if (entry.doc.location === entry.page && !pages[entry.page]) pages[entry.page] = entry;
    });
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    postMessage({ type: RESULT, data: search(message.data) });
  }
});

// Shared by every page: the words, the one way elements are made, times, and the one event stream from the server.
"use strict";

// The words of both languages, from swarmlab/i18n (`page.*`), in the page's own JSON block: one source for Python
// and the scripts, read without a request and without running anything.
const WORDS = JSON.parse(document.getElementById("words").textContent);

let LANG = document.documentElement.lang === "en" ? "en" : "ru";

function setLang(lang) {
  LANG = WORDS[lang] ? lang : "ru";
  document.documentElement.lang = LANG;
}

function t(key) {
  return WORDS[LANG][key] || key;
}

function stageTitle(stage) {
  return WORDS[LANG][`stage.${stage}`] || "";
}

// Every element the pages show is made here, and data only ever becomes a text node or an attribute's value:
// no markup is parsed from anything, so nothing a cluster sends can add an element, a handler or a navigation.
const SVG_NS = "http://www.w3.org/2000/svg";
const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "xlink:href"]);

function safeUrl(value) {
  try {
    return ["http:", "https:"].includes(new URL(value, location.href).protocol);
  } catch {
    return false;
  }
}

function made(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (/^on/i.test(name) || name.toLowerCase() === "style") throw new Error(`no ${name} attribute: handlers and styles stay in the static files`);
    const text = value === true ? "" : String(value);
    if (URL_ATTRIBUTES.has(name.toLowerCase()) && !safeUrl(text)) continue;
    node.setAttribute(name, text);
  }
  return put(node, ...children);
}

// el("div", {class: "x"}, "text", child, [more]): children that are not nodes become text nodes; null, false and
// "" are left out.
function el(tag, attrs, ...children) {
  return made(document.createElement(tag), attrs, children);
}

function svg(tag, attrs, ...children) {
  return made(document.createElementNS(SVG_NS, tag), attrs, children);
}

function put(node, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === "") continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// What `target` shows from now on, in place of what it showed.
function show(target, ...children) {
  target.replaceChildren();
  return put(target, ...children);
}

// Items with a separator between them (a string or a function that makes one, for elements).
function joined(items, separator) {
  return items.flatMap((item, i) => (i ? [typeof separator === "function" ? separator() : separator, item] : [item]));
}

function ago(seconds) {
  if (seconds == null) return "";
  const s = Math.round(seconds);
  if (s < 90) return `${s} ${t("s")}`;
  if (s < 5400) return `${Math.round(s / 60)} ${t("min")}`;
  if (s < 172800) return `${Math.round(s / 3600)} ${t("h")}`;
  return `${Math.round(s / 86400)} ${t("d")}`;
}

function clock(iso) {
  const when = new Date(iso);
  return isNaN(when) ? "" : when.toLocaleTimeString(LANG === "ru" ? "ru-RU" : "en-GB");
}

function outcomeMark(outcome) {
  const sign = { passed: "✓", failed: "✗", blocked: "!", not_applicable: "–" }[outcome] || "?";
  return el("span", { class: `mark ${outcome}`, title: t(outcome) }, sign);
}

// A failed or blocked check's message, hint and evidence; a cause already told (in `told`) is only referred to.
function checkDetail(c, told) {
  const cause = `${c.outcome}\u0000${c.message}\u0000${c.hint}`;
  const detail = told.has(cause) ? [el("div", { class: "same" }, t("same_cause"))] : [
    el("div", { class: "msg" }, c.message),
    c.hint && el("div", { class: "hint" }, "→ ", c.hint),
    c.evidence.length > 0 && el("pre", { class: "evidence" }, c.evidence.slice(0, 12).join("\n")),
  ];
  told.add(cause);
  return detail;
}

// The server pushes every snapshot on one stream; the browser reconnects by itself after a drop.
function follow(onSnapshot) {
  const live = document.getElementById("live");
  const setLive = (kind, text) => {
    live.className = `live ${kind}`;
    live.querySelector("span").textContent = text;
  };
  const stream = new EventSource("/events");
  let whole = 0; // complete snapshots this page received: the first may predate the page, the next ones do not
  stream.addEventListener("snapshot", (event) => {
    const data = JSON.parse(event.data);
    if (data.lang) setLang(data.lang);
    const r = data.refresh || {};
    if (!r.partial) live.dataset.snapshots = String(++whole);
    // Nothing is read while no page is open: a page opened later first gets the last, older snapshot.
    const old = Date.now() - new Date(r.at) > 2000 * (r.interval + r.seconds);
    setLive(r.partial || old ? "busy" : "on", r.partial || old ? `${t("reading")} (${clock(r.at)})`
      : `${t("live")} ${clock(r.at)} · ${r.seconds} ${t("seconds")}`);
    document.getElementById("offline").hidden = true;
    onSnapshot(data);
  });
  stream.addEventListener("error", () => {
    setLive("off", "…");
    document.getElementById("offline").hidden = false;
  });
  return stream;
}

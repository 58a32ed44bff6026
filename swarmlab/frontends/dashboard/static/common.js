// Shared by both pages: words in both languages, escaping, times, and the one event stream from the server.
"use strict";

const WORDS = {
  ru: {
    cluster: "Кластер", overlay: "Оверлейная сеть", lesson: "Этапы урока", part: "часть",
    waiting: "Читаю кластер…", disconnected: "Нет связи с дашбордом: переподключаюсь…",
    live: "обновлено", reading: "читаю…", round: "обновление", seconds: "с", every: "каждые",
    manager: "менеджер", worker: "воркер", leader: "лидер", engine: "Docker", labels: "метки",
    unreachable: "недоступна", not_in_swarm: "не в swarm", not_in_inventory: "нет в инвентаре",
    page: "страница", posts: "постов", host: "Хост", port: "порт", health: "здоровье",
    previous: "перед этим", unassigned: "Без ноды", no_tasks: "задач нет", exit: "код выхода",
    stale: "ошибка чтения, показано последнее удачное", services: "сервисы",
    running: "запущено", no_network: "Сети lemp-overlay нет: её создаёт этап network.",
    ping_ok: "пинг проходит", ping_mtu: "малый пакет проходит, большой (1400 Б) нет", ping_fail: "пинг не проходит",
    resolves: "разрешается в", dnsrr: "DNS round-robin", vip: "VIP",
    pages: "Страницы нод", evidence: "факты",
    passed: "пройдена", failed: "не пройдена", blocked: "не проверена", not_applicable: "не относится",
    n_passed: "пройдено", n_failed: "не пройдено", n_blocked: "не проверено", n_not_applicable: "не относится",
    s: "с", min: "мин", h: "ч", d: "д", ago: "назад",
    board: "Ведомость", roster: "список", rubric: "критерии", graded: "проверено", students: "студентов",
    average: "средний балл", name: "имя", total: "итого", status: "статус", grading: "проверяю",
    not_graded: "ещё не проверен", close: "Закрыть", all_passed: "Все проверки этапа пройдены.",
    stage: "этап", points: "баллы", no_checks: "Проверок нет.", all_stages: "все этапы",
    same_cause: "по той же причине, что выше",
  },
  en: {
    cluster: "Cluster", overlay: "Overlay network", lesson: "The lesson's stages", part: "part",
    waiting: "Reading the cluster…", disconnected: "Lost the dashboard: reconnecting…",
    live: "updated", reading: "reading…", round: "refresh", seconds: "s", every: "every",
    manager: "manager", worker: "worker", leader: "leader", engine: "Docker", labels: "labels",
    unreachable: "unreachable", not_in_swarm: "not in the swarm", not_in_inventory: "not in the inventory",
    page: "page", posts: "posts", host: "Host", port: "port", health: "health",
    previous: "before", unassigned: "No node", no_tasks: "no tasks", exit: "exit code",
    stale: "the read failed; showing the last good one", services: "services",
    running: "running", no_network: "There is no lemp-overlay network: stage network creates it.",
    ping_ok: "ping passes", ping_mtu: "small packets pass, large ones (1400 B) do not", ping_fail: "ping fails",
    resolves: "resolves to", dnsrr: "DNS round-robin", vip: "VIP",
    pages: "Node pages", evidence: "evidence",
    passed: "passed", failed: "failed", blocked: "blocked", not_applicable: "not applicable",
    n_passed: "passed", n_failed: "failed", n_blocked: "blocked", n_not_applicable: "not applicable",
    s: "s", min: "min", h: "h", d: "d", ago: "ago",
    board: "Gradebook", roster: "roster", rubric: "rubric", graded: "graded", students: "students",
    average: "class average", name: "name", total: "total", status: "status", grading: "grading",
    not_graded: "not graded yet", close: "Close", all_passed: "Every check of this stage passed.",
    stage: "stage", points: "points", no_checks: "No checks.", all_stages: "all stages",
    same_cause: "for the same reason as above",
  },
};

const STAGES = {
  ru: {
    init: "swarm на менеджере", join: "воркеры в кластере", network: "сеть lemp-overlay",
    sync: "файлы урока на нодах", stacks: "стеки edge, core, storage", labels: "метки нод",
    placement: "размещение по меткам", vip: "имена сервисов в DNS", connectivity: "связь между нодами",
    panel: "панель Portainer", pages: "страница на каждой ноде", teardown: "стеки удалены",
  },
  en: {
    init: "the swarm on the manager", join: "workers in the swarm", network: "the lemp-overlay network",
    sync: "the lesson's files on every node", stacks: "stacks edge, core, storage", labels: "node labels",
    placement: "placement by labels", vip: "service names in DNS", connectivity: "traffic between nodes",
    panel: "the Portainer panel", pages: "the page on every node", teardown: "stacks removed",
  },
};

let LANG = document.documentElement.lang === "en" ? "en" : "ru";

function setLang(lang) {
  LANG = WORDS[lang] ? lang : "ru";
  document.documentElement.lang = LANG;
}

function t(key) {
  return WORDS[LANG][key] || key;
}

function stageTitle(stage) {
  return STAGES[LANG][stage] || "";
}

function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
  })[c]);
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
  return `<span class="mark ${esc(outcome)}" title="${esc(t(outcome))}">${sign}</span>`;
}

// The server pushes every snapshot on one stream; the browser reconnects by itself after a drop.
// A failed or blocked check's message, hint and evidence; a cause already told (in `told`) is only referred to.
function checkDetail(c, told) {
  const cause = `${c.outcome}\u0000${c.message}\u0000${c.hint}`;
  const detail = told.has(cause) ? `<div class="same">${esc(t("same_cause"))}</div>`
    : `<div class="msg">${esc(c.message)}</div>` + (c.hint ? `<div class="hint">→ ${esc(c.hint)}</div>` : "") +
      (c.evidence.length ? `<pre class="evidence">${esc(c.evidence.slice(0, 12).join("\n"))}</pre>` : "");
  told.add(cause);
  return detail;
}

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

// The class board: students × stages from the gradebook's own data; a cell opens that student's failures. With
// answers handed in, a column of the answers' points opens how each was judged on that student's own cluster.
"use strict";

let latest = null;
let opened = null; // {student, stage}: the detail the reader opened, redrawn as new rounds arrive

document.addEventListener("DOMContentLoaded", () => {
  words();
  follow((data) => {
    latest = data;
    render(data);
  });
  document.getElementById("board").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-open]");
    if (!button) return;
    opened = { student: button.dataset.open, stage: button.dataset.stage || null };
    render(latest);
  });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
});

function words() {
  document.querySelectorAll("[data-word]").forEach((node) => { node.textContent = t(node.dataset.word); });
  document.getElementById("offline").textContent = t("disconnected");
}

function number(value) {
  return String(Math.round(value * 100) / 100);
}

function base(path) {
  return String(path || "").split(/[\\/]/).pop();
}

// Widths are set through the CSSOM: the page's policy allows no inline style attribute.
function widths(root) {
  root.querySelectorAll("[data-width]").forEach((node) => { node.style.width = `${node.dataset.width}%`; });
}

function render(data) {
  words();
  show(document.getElementById("banners"),
    data.refresh.error && el("div", { class: "banner", "data-banner": "read" }, `${t("stale")}: ${data.refresh.error}`));
  if (!data.stages) return;
  const students = data.students;
  document.title = `${t("board")} · ${data.title}`;
  document.getElementById("title").textContent = `${t("board")} · ${data.title}`;
  const average = students.length ? students.reduce((sum, s) => sum + s.total, 0) / students.length : 0;
  document.getElementById("subtitle").textContent =
    `${t("rubric")}: ${base(data.rubric)} · ${t("part")} ${data.part} · ${students.length} ${t("students")} · ` +
    `${t("average")}: ${number(average)} / ${number(data.max.total)} · ${t("every")} ${data.refresh.interval} ${t("s")}`;
  const p = data.progress;
  const progress = show(document.getElementById("progress"), p.grading
    ? [el("span", { class: "sub", "data-progress": `${p.done}/${p.count}` }, `${t("grading")} ${p.done}/${p.count}`), " ",
      el("span", { class: "progress" }, el("i", { "data-width": Math.round((100 * p.done) / Math.max(p.count, 1)) }))]
    : el("span", { class: "sub", "data-progress": "done" }, `${t("graded")} ${clock(data.graded_at)}`));
  widths(progress);
  const asks = data.max.questions !== undefined;
  const head = data.stages.map((stage) =>
    el("th", { title: stageTitle(stage) }, stage, el("small", {}, number(data.max[stage]))));
  if (asks) head.push(el("th", {}, t("answers"), el("small", {}, number(data.max.questions))));
  const rows = students.map((s) => {
    const stale = p.grading && !s.fresh && !s.waiting;
    const cells = data.stages.map((stage) => {
      const most = data.max[stage];
      const earned = s.stages[stage];
      const kind = s.reason ? "na" : earned >= most - 0.005 ? "full" : earned <= 0 ? "zero" : "part";
      const open = opened && opened.student === s.id && opened.stage === stage ? " open" : "";
      return el("td", {}, el("button", {
        class: `cell ${kind}${open}`, "data-open": s.id, "data-stage": stage, "data-cell": `${s.id}/${stage}`,
        title: `${s.name} · ${stage}`,
      }, s.waiting ? "…" : number(earned)));
    });
    if (asks) cells.push(answersCell(s, data.max.questions));
    return el("tr", { "data-student": s.id, "data-reason": s.reason || "", class: stale ? "stale" : "" },
      el("td", {}, el("button", { class: "who", "data-open": s.id }, s.id)), el("td", {}, s.name),
      el("td", { class: "num" }, s.waiting ? "…" : number(s.total),
        el("span", { class: "bar" }, el("i", { "data-width": Math.round((100 * s.total) / Math.max(data.max.total, 1)) }))),
      cells, el("td", { class: "status" }, s.waiting ? t("not_graded") : s.status));
  });
  const board = show(document.getElementById("board"), el("table", { class: "board" },
    el("thead", {}, el("tr", {}, el("th", {}, "id"), el("th", {}, t("name")),
      el("th", {}, t("total"), el("small", {}, number(data.max.total))), head, el("th", {}, t("status")))),
    el("tbody", {}, rows)));
  widths(board);
  detail(data);
}

function answersCell(s, most) {
  const earned = s.answers.points;
  const kind = s.answers.refused ? "zero" : earned >= most - 0.005 ? "full" : earned <= 0 ? "zero" : "part";
  const open = opened && opened.student === s.id && opened.stage === "answers" ? " open" : "";
  return el("td", {}, el("button", {
    class: `cell ${kind}${open}`, "data-open": s.id, "data-stage": "answers", "data-cell": `${s.id}/answers`,
    title: `${s.name} · ${t("answers")}`,
  }, s.waiting ? "…" : number(earned)));
}

function close() {
  opened = null;
  document.getElementById("detail").hidden = true;
  document.querySelectorAll("button.cell.open").forEach((b) => b.classList.remove("open"));
}

const ORDER = { failed: 0, blocked: 1, passed: 2, not_applicable: 3 };
const ANSWER_ORDER = { wrong: 0, near: 1, unanswered: 2, blocked: 3, right: 4, not_applicable: 5 };
const ANSWER_MARK = { right: "passed", near: "blocked", wrong: "failed", unanswered: "blocked", blocked: "blocked" };
const ANSWER_SIGN = { right: "✓", near: "≈", wrong: "✗" };

// How each answer was judged on this student's cluster: what they gave, the verdict's words and its points.
function answersDetail(s) {
  const questions = [...s.answers.questions].sort((a, b) => ANSWER_ORDER[a.outcome] - ANSWER_ORDER[b.outcome]);
  const items = questions.map((v) => {
    const mark = ANSWER_MARK[v.outcome] || "not_applicable";
    return el("li", { class: `check ${mark}`, "data-answer": v.id, "data-outcome": v.outcome },
      el("span", { class: `mark ${mark}`, title: t(`answer.${v.outcome}`) }, ANSWER_SIGN[v.outcome] || "–"),
      el("div", { class: "body" },
        el("div", { class: "title" }, `${v.id} `,
          el("span", { class: "meta" }, `· ${t(`answer.${v.outcome}`)} · ${number(v.points)}/${number(v.max)}`)),
        v.given && el("div", { class: "given" }, `${t("given")}: `, el("code", {}, v.given)),
        v.outcome !== "right" && v.message && el("div", { class: "msg" }, v.message),
        v.outcome !== "right" && v.hint && el("div", { class: "hint" }, "→ ", v.hint)));
  });
  return [
    s.answers.refused && el("p", { class: "msg", "data-refused": true }, `${t("answers_refused")}: ${s.answers.refused}`),
    !items.length && !s.answers.refused && el("p", { class: "empty" }, t("no_answers")),
    el("ul", { class: "checks" }, items),
  ];
}

function detail(data) {
  const aside = document.getElementById("detail");
  const s = opened && data.students.find((x) => x.id === opened.student);
  if (!s) {
    aside.hidden = true;
    return;
  }
  const closer = el("button", { class: "close", title: t("close"), "data-close": true }, "×");
  closer.addEventListener("click", close);
  if (opened.stage === "answers") {
    show(aside, closer, el("h2", { "data-detail": `${s.id}/answers` }, `${s.id} · ${s.name}`),
      el("div", { class: "status" }, `${t("answers")} · ${t("points")}: ${number(s.answers.points)} / ${number(data.max.questions)}`),
      ...answersDetail(s));
    aside.hidden = false;
    return;
  }
  const checks = s.checks.filter((c) => !opened.stage || c.stage === opened.stage)
    .sort((a, b) => ORDER[a.outcome] - ORDER[b.outcome]);
  const told = new Set(); // a cause that keeps several checks from running is told once
  const items = checks.map((c) => el("li", { class: `check ${c.outcome}`, "data-check": `${c.stage}/${c.id}`, "data-outcome": c.outcome },
    outcomeMark(c.outcome), el("div", { class: "body" },
      el("div", { class: "title" }, `${c.title || c.id.replace(/_/g, " ")} `,
        el("span", { class: "meta" }, `· ${c.stage} · ${number(c.points)}/${number(c.max)}`)),
      (c.outcome === "failed" || c.outcome === "blocked") && checkDetail(c, told))));
  const earned = opened.stage ? s.stages[opened.stage] : s.total;
  const most = opened.stage ? data.max[opened.stage] : data.max.total;
  const empty = !checks.length ? t(s.waiting ? "not_graded" : "no_checks")
    : checks.every((c) => c.outcome === "passed" || c.outcome === "not_applicable") ? t("all_passed") : "";
  show(aside, closer, el("h2", { "data-detail": `${s.id}/${opened.stage || ""}` }, `${s.id} · ${s.name}`),
    el("div", { class: "status" },
      `${opened.stage ? `${opened.stage} — ${stageTitle(opened.stage)}` : t("all_stages")} · ${t("points")}: ${number(earned)} / ${number(most)}`,
      el("br", {}), s.status),
    empty && el("p", { class: "empty" }, empty), el("ul", { class: "checks" }, items));
  aside.hidden = false;
}

// The class board: students × stages from the gradebook's own data; a cell opens that student's failures.
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
  document.querySelectorAll("[data-word]").forEach((el) => { el.textContent = t(el.dataset.word); });
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
  root.querySelectorAll("[data-width]").forEach((el) => { el.style.width = `${el.dataset.width}%`; });
}

function render(data) {
  words();
  document.getElementById("banners").innerHTML = data.refresh.error
    ? `<div class="banner" data-banner="read">${esc(t("stale"))}: ${esc(data.refresh.error)}</div>` : "";
  if (!data.stages) return;
  const students = data.students;
  document.title = `${t("board")} · ${data.title}`;
  document.getElementById("title").textContent = `${t("board")} · ${data.title}`;
  const average = students.length ? students.reduce((sum, s) => sum + s.total, 0) / students.length : 0;
  document.getElementById("subtitle").textContent =
    `${t("rubric")}: ${base(data.rubric)} · ${t("part")} ${data.part} · ${students.length} ${t("students")} · ` +
    `${t("average")}: ${number(average)} / ${number(data.max.total)} · ${t("every")} ${data.refresh.interval} ${t("s")}`;
  const p = data.progress;
  const progress = document.getElementById("progress");
  progress.innerHTML = p.grading
    ? `<span class="sub" data-progress="${p.done}/${p.count}">${esc(t("grading"))} ${p.done}/${p.count}</span> ` +
      `<span class="progress"><i data-width="${Math.round((100 * p.done) / Math.max(p.count, 1))}"></i></span>`
    : `<span class="sub" data-progress="done">${esc(t("graded"))} ${esc(clock(data.graded_at))}</span>`;
  widths(progress);
  const head = data.stages.map((stage) =>
    `<th title="${esc(stageTitle(stage))}">${esc(stage)}<small>${number(data.max[stage])}</small></th>`).join("");
  const rows = students.map((s) => {
    const stale = p.grading && !s.fresh && !s.waiting;
    const cells = data.stages.map((stage) => {
      const most = data.max[stage];
      const earned = s.stages[stage];
      const kind = s.reason ? "na" : earned >= most - 0.005 ? "full" : earned <= 0 ? "zero" : "part";
      const open = opened && opened.student === s.id && opened.stage === stage ? " open" : "";
      return `<td><button class="cell ${kind}${open}" data-open="${esc(s.id)}" data-stage="${esc(stage)}" ` +
        `data-cell="${esc(s.id)}/${esc(stage)}" title="${esc(s.name)} · ${esc(stage)}">` +
        `${s.waiting ? "…" : number(earned)}</button></td>`;
    }).join("");
    return `<tr data-student="${esc(s.id)}" data-reason="${esc(s.reason || "")}" class="${stale ? "stale" : ""}">` +
      `<td><button class="who" data-open="${esc(s.id)}">${esc(s.id)}</button></td><td>${esc(s.name)}</td>` +
      `<td class="num">${s.waiting ? "…" : number(s.total)}<span class="bar"><i data-width="${Math.round((100 * s.total) / Math.max(data.max.total, 1))}"></i></span></td>` +
      `${cells}<td class="status">${esc(s.waiting ? t("not_graded") : s.status)}</td></tr>`;
  }).join("");
  const board = document.getElementById("board");
  board.innerHTML = `<table class="board"><thead><tr><th>id</th><th>${esc(t("name"))}</th>` +
    `<th>${esc(t("total"))}<small>${number(data.max.total)}</small></th>${head}<th>${esc(t("status"))}</th></tr></thead>` +
    `<tbody>${rows}</tbody></table>`;
  widths(board);
  detail(data);
}

function close() {
  opened = null;
  document.getElementById("detail").hidden = true;
  document.querySelectorAll("button.cell.open").forEach((b) => b.classList.remove("open"));
}

const ORDER = { failed: 0, blocked: 1, passed: 2, not_applicable: 3 };

function detail(data) {
  const aside = document.getElementById("detail");
  const s = opened && data.students.find((x) => x.id === opened.student);
  if (!s) {
    aside.hidden = true;
    return;
  }
  const checks = s.checks.filter((c) => !opened.stage || c.stage === opened.stage)
    .sort((a, b) => ORDER[a.outcome] - ORDER[b.outcome]);
  const told = new Set(); // a cause that keeps several checks from running is told once
  const items = checks.map((c) => {
    const detail = c.outcome === "failed" || c.outcome === "blocked" ? checkDetail(c, told) : "";
    return `<li class="check ${esc(c.outcome)}" data-check="${esc(c.stage)}/${esc(c.id)}" data-outcome="${esc(c.outcome)}">` +
      `${outcomeMark(c.outcome)}<div class="body"><div class="title">${esc(c.title || c.id.replace(/_/g, " "))} ` +
      `<span class="meta">· ${esc(c.stage)} · ${number(c.points)}/${number(c.max)}</span></div>${detail}</div></li>`;
  }).join("");
  const earned = opened.stage ? s.stages[opened.stage] : s.total;
  const most = opened.stage ? data.max[opened.stage] : data.max.total;
  const empty = !checks.length ? t(s.waiting ? "not_graded" : "no_checks")
    : checks.every((c) => c.outcome === "passed" || c.outcome === "not_applicable") ? t("all_passed") : "";
  aside.innerHTML = `<button class="close" title="${esc(t("close"))}" data-close>×</button>` +
    `<h2 data-detail="${esc(s.id)}/${esc(opened.stage || "")}">${esc(s.id)} · ${esc(s.name)}</h2>` +
    `<div class="status">${esc(opened.stage ? `${opened.stage} — ${stageTitle(opened.stage)}` : t("all_stages"))} · ` +
    `${esc(t("points"))}: ${number(earned)} / ${number(most)}<br>${esc(s.status)}</div>` +
    (empty ? `<p class="empty">${esc(empty)}</p>` : "") + `<ul class="checks">${items}</ul>`;
  aside.querySelector("[data-close]").addEventListener("click", close);
  aside.hidden = false;
}

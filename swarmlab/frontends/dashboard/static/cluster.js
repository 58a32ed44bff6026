// One cluster: its nodes and tasks, the overlay network, and the lesson's checklist, redrawn on every snapshot.
"use strict";

const KNOWN = ["gateway", "php-fpm", "db"];
const chosen = {}; // {stage: open?} for stages the reader opened or closed by hand; kept across refreshes

document.addEventListener("DOMContentLoaded", () => {
  if ("embedded" in document.body.dataset) return; // a page that draws these views from its own stream (the panel)
  words();
  follow(render);
});

function words() {
  document.querySelectorAll("[data-word]").forEach((el) => { el.textContent = t(el.dataset.word); });
  document.getElementById("offline").textContent = t("disconnected");
}

function kind(short) {
  return KNOWN.includes(short) ? short : "other";
}

function render(data) {
  words();
  document.title = `swarmlab · ${data.title}`;
  document.getElementById("title").textContent = `swarmlab · ${data.title}`;
  document.getElementById("subtitle").textContent =
    `${t("part")} ${data.part} · ${t("every")} ${data.refresh.interval} ${t("s")} · ${t("round")} ${data.refresh.round}`;
  const counts = data.checks ? data.checks.summary : {};
  document.getElementById("summary").innerHTML = Object.entries(counts)
    .filter(([, n]) => n).map(([o, n]) => `<span class="pill ${esc(o)}" data-count="${esc(o)}">${esc(t("n_" + o))}: ${n}</span>`).join("");
  const banners = [];
  if (data.refresh.error) banners.push(`<div class="banner" data-banner="read">${esc(t("stale"))}: ${esc(data.refresh.error)}</div>`);
  if (data.manager_error) banners.push(`<div class="banner soft" data-banner="manager">${esc(data.manager)}: ${esc(data.manager_error)}</div>`);
  document.getElementById("banners").innerHTML = banners.join("");
  if (!data.nodes) return;
  renderCluster(data);
  renderOverlay(data);
  renderLesson(data);
}

// -- the visualiser ------------------------------------------------------------------------------

function renderCluster(data) {
  const services = data.services.map((s) => {
    const ports = s.ports.map((p) => ` · ${t("port")} ${p.published}→${p.target}/${p.protocol} ${p.mode}`).join("");
    const health = s.health !== undefined ? ` · ${t("health")}: ${s.health || "—"}` : "";
    return `<span class="service ${s.running < s.wanted ? "short" : ""}" data-service="${esc(s.name)}">` +
      `<b>${esc(s.name)}</b> ${s.running}/${s.wanted} · ${esc(s.mode)}${esc(ports)}${esc(health)}</span>`;
  }).join("");
  const columns = data.nodes.map(nodeColumn);
  if (data.unassigned.length) {
    columns.push(`<div class="node" data-node="">` +
      `<div class="head"><div class="name">${esc(t("unassigned"))}</div></div>` +
      `<div class="tasks">${data.unassigned.map(taskCard).join("")}</div></div>`);
  }
  document.getElementById("cluster").innerHTML =
    `<h2>${esc(t("cluster"))} <small>${esc(data.title)}</small></h2>` +
    `<div class="services">${services}</div><div class="nodes">${columns.join("")}</div>`;
}

function nodeColumn(n) {
  const badges = [];
  if (n.role) badges.push(`<span class="badge role">${esc(t(n.role))}${n.leader ? " ★ " + esc(t("leader")) : ""}</span>`);
  if (n.state) badges.push(`<span class="badge ${n.state === "ready" ? "good" : "bad"}">${esc(n.state)}</span>`);
  if (n.availability) badges.push(`<span class="badge ${n.availability === "active" ? "good" : "warn"}">${esc(n.availability)}</span>`);
  if (n.unreachable) badges.push(`<span class="badge bad">${esc(t("unreachable"))}</span>`);
  else if (n.swarm && n.swarm !== "active") badges.push(`<span class="badge warn">${esc(t("not_in_swarm"))}</span>`);
  if (!n.in_inventory) badges.push(`<span class="badge warn">${esc(t("not_in_inventory"))}</span>`);
  const facts = [];
  if (n.engine) facts.push(`<span>${esc(t("engine"))} ${esc(n.engine)}</span>`);
  if (n.addr || n.address) facts.push(`<span class="mono">${esc(n.addr || n.address)}</span>`);
  const labels = Object.entries(n.labels || {}).map(([k, v]) => `<span class="label">${esc(k)}=${esc(v)}</span>`).join("");
  const problem = n.unreachable || n.docker_error || (n.message && n.state !== "ready" ? n.message : "");
  const tasks = n.tasks.length ? n.tasks.map(taskCard).join("") : `<div class="empty">${esc(t("no_tasks"))}</div>`;
  const down = n.unreachable || (n.state && n.state !== "ready");
  return `<div class="node ${down ? "down" : ""}" data-node="${esc(n.name)}">` +
    `<div class="head"><div class="name">${esc(n.name)} ${badges.join(" ")}</div>` +
    `<div class="facts">${facts.join("")}</div>` +
    (labels ? `<div class="labels">${labels}</div>` : "") +
    (problem ? `<div class="task err">${esc(problem)}</div>` : "") +
    pageInfo(n) + `</div><div class="tasks">${tasks}</div></div>`;
}

function pageInfo(n) {
  if (!n.url) return "";
  const link = `<a href="${esc(n.url)}" target="_blank" rel="noopener">${esc(n.url)}</a>`;
  if (!n.page) return `<div class="pageinfo">${link}</div>`;
  if (n.page.error) return `<div class="pageinfo">${link} → <span class="bad">${esc(n.page.error)}</span></div>`;
  const host = n.page.host ? ` · ${esc(t("host"))} <b>${esc(n.page.host)}</b>` : "";
  const status = n.page.status === 200 ? "200" : `<span class="bad">${esc(n.page.status)}</span>`;
  return `<div class="pageinfo" data-page="${esc(n.name)}">${link} → ${status}${host} · ${n.page.posts} ${esc(t("posts"))}</div>`;
}

function stateClass(state) {
  if (["running", "failed", "rejected", "orphaned", "shutdown", "complete", "remove"].includes(state)) return `state-${state}`;
  return "state-other";
}

function taskCard(task) {
  const meta = [ago(task.age)];
  if (task.ip) meta.push(`<span class="mono">${esc(task.ip)}</span>`);
  if (task.hostname) meta.push(esc(task.hostname));
  if (task.ports.length) meta.push(esc(task.ports.join(", ")));
  const health = task.health
    ? ` <span class="badge ${task.health === "healthy" ? "good" : task.health === "starting" ? "warn" : "bad"}" ` +
      `data-health="${esc(task.health)}">${esc(task.health)}</span>` : "";
  const errors = [];
  if (task.error) errors.push(`<div class="err" data-error>${esc(task.error)}</div>`);
  if (task.state !== "running" && task.message && task.message !== task.error && task.message !== task.state) {
    errors.push(`<div class="err">${esc(task.message)}${task.exit_code ? ` (${esc(t("exit"))} ${task.exit_code})` : ""}</div>`);
  }
  if (task.health_output) errors.push(`<div class="err">${esc(t("health"))}: ${esc(task.health_output)}</div>`);
  const prev = task.previous;
  if (prev) {
    errors.push(`<div class="prev" data-previous>${esc(t("previous"))} (${esc(ago(prev.age))} ${esc(t("ago"))}): ` +
      `${esc(prev.state)} · ${esc(prev.error || prev.message)}</div>`);
  }
  return `<div class="task ${kind(task.short)} ${esc(task.state)}" data-task="${esc(task.id)}" ` +
    `data-service="${esc(task.service)}" data-state="${esc(task.state)}">` +
    `<div class="line1"><span class="tname">${esc(task.name)}</span>` +
    `<span><span class="badge ${stateClass(task.state)}">${esc(task.state)}</span>${health}</span></div>` +
    `<div class="meta">${meta.join(" · ")}</div>${errors.join("")}</div>`;
}

// -- the overlay -------------------------------------------------------------------------------------

function renderOverlay(data) {
  const o = data.overlay;
  const el = document.getElementById("overlay");
  const head = `<h2>${esc(t("overlay"))} <small>${esc(o.name)}${o.subnet ? " · " + esc(o.subnet) : ""}` +
    `${o.driver ? " · " + esc(o.driver) + "/" + esc(o.scope) : ""}</small></h2>`;
  if (!o.exists) {
    el.innerHTML = `${head}<p class="empty">${esc(t("no_network"))}</p>`;
    return;
  }
  const lanes = data.nodes.map((n) => n.name);
  o.endpoints.forEach((e) => { if (!lanes.includes(e.node)) lanes.push(e.node); });
  const W = 1000, laneW = W / Math.max(lanes.length, 1), boxH = 38, gap = 10;
  const svcTop = 8, svcH = 40, barY = svcTop + svcH + 22, barH = 28, laneTop = barY + barH + 16;
  const perLane = {};
  lanes.forEach((name) => { perLane[name] = []; });
  o.endpoints.slice().sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name, undefined, { numeric: true }))
    .forEach((e) => perLane[e.node].push(e));
  const tallest = Math.max(1, ...lanes.map((name) => perLane[name].length));
  const H = laneTop + 44 + tallest * (boxH + gap) + 6;
  const parts = [];
  parts.push(`<defs>${["ok", "mtu", "fail"].map((k) =>
    `<marker id="arrow-${k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
    `<path d="M 0 0 L 10 5 L 0 10 z" class="arrow-${k}" fill="${k === "ok" ? "#2f9e55" : k === "mtu" ? "#a77b00" : "#c9362b"}"/></marker>`).join("")}</defs>`);
  const svcW = Math.min(240, (W - 10) / Math.max(o.services.length, 1) - 10);
  o.services.forEach((s, i) => {
    const x = 10 + i * (svcW + 10);
    const sub = s.vip ? `${t("vip")} ${s.vip}` : `${s.mode} · ${s.names.join(", ")}`;
    parts.push(`<g data-vip="${esc(s.name)}"><line class="bus" x1="${x + svcW / 2}" y1="${svcTop + svcH}" x2="${x + svcW / 2}" y2="${barY}"/>` +
      `<rect class="svc" x="${x}" y="${svcTop}" width="${svcW}" height="${svcH}" rx="6"/>` +
      `<text class="svc-text" x="${x + 10}" y="${svcTop + 17}">${esc(s.name)}</text>` +
      `<text class="svc-sub" x="${x + 10}" y="${svcTop + 32}">${esc(sub)}</text></g>`);
  });
  parts.push(`<rect class="ov-bar" x="0" y="${barY}" width="${W}" height="${barH}" rx="5"/>` +
    `<text class="ov-bar-text" x="12" y="${barY + 19}">${esc(o.name)}${o.subnet ? "  " + esc(o.subnet) : ""}</text>`);
  const where = {};
  lanes.forEach((name, li) => {
    const x = li * laneW;
    const node = data.nodes.find((n) => n.name === name);
    const items = perLane[name];
    parts.push(`<g data-lane="${esc(name)}"><rect class="lane" x="${x + 4}" y="${laneTop}" width="${laneW - 8}" height="${H - laneTop - 2}" rx="6"/>` +
      `<text class="lane-title" x="${x + 16}" y="${laneTop + 18}">${esc(name)}</text>` +
      `<text class="lane-sub" x="${x + 16}" y="${laneTop + 33}">${esc(node ? node.addr || node.address || "" : "")}</text>`);
    const busX = x + 18;
    if (items.length) {
      const lastY = laneTop + 44 + (items.length - 1) * (boxH + gap) + boxH / 2;
      parts.push(`<line class="bus" x1="${busX}" y1="${barY + barH}" x2="${busX}" y2="${lastY}"/>`);
    }
    items.forEach((e, i) => {
      const bx = x + 30, by = laneTop + 44 + i * (boxH + gap), bw = laneW - 44;
      where[e.task] = { x: bx, y: by, w: bw, lane: li };
      parts.push(`<line class="bus" x1="${busX}" y1="${by + boxH / 2}" x2="${bx}" y2="${by + boxH / 2}"/>` +
        `<g data-endpoint="${esc(e.task)}"><rect class="box ${kind(e.service.split("_").slice(1).join("_"))}" x="${bx}" y="${by}" width="${bw}" height="${boxH}" rx="5"/>` +
        `<text class="box-title" x="${bx + 8}" y="${by + 15}">${esc(e.name)}</text>` +
        `<text class="box-ip" x="${bx + 8}" y="${by + 30}">${esc(e.ip)}${e.hostname ? "  " + esc(e.hostname) : ""}</text></g>`);
    });
    parts.push("</g>");
  });
  o.pings.forEach((p) => {
    const a = where[p.from], b = where[p.to];
    if (!a || !b) return;
    const state = p.small && p.large ? "ok" : p.small ? "mtu" : "fail";
    const right = b.lane > a.lane;
    const x1 = right ? a.x + a.w : a.x, x2 = right ? b.x : b.x + b.w;
    const y1 = a.y + boxH / 2, y2 = b.y + boxH / 2, bend = Math.max(40, Math.abs(x2 - x1) * 0.35) * (right ? 1 : -1);
    const label = `${p.from_node} → ${p.target} (${p.to_node}): ${t("ping_" + state)}`;
    parts.push(`<path class="ping ${state}" data-ping="${esc(p.from)}>${esc(p.to)}" data-outcome="${state}" ` +
      `d="M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}" marker-end="url(#arrow-${state})">` +
      `<title>${esc(label)}</title></path>`);
  });
  const answers = {};
  o.lookups.forEach((l) => {
    const key = `${l.name}\u0000${l.addresses.join(", ")}`;
    (answers[key] = answers[key] || []).push(l.node);
  });
  const lookups = Object.entries(answers).map(([key, nodes]) => {
    const [name, addresses] = key.split("\u0000");
    return `${esc(nodes.join(", "))}: <span class="mono">${esc(name)}</span> ${esc(t("resolves"))} ` +
      `${addresses ? `<span class="mono">${esc(addresses)}</span>` : "—"}`;
  }).join("<br>");
  const problems = o.probe_errors.map((p) => `<div class="banner soft">${esc(p.node)}: ${esc(p.error)}</div>`).join("");
  el.innerHTML = `${head}<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(o.name)}">${parts.join("")}</svg>` +
    `<div class="legend"><span><i></i>${esc(t("ping_ok"))}</span><span><i class="mtu"></i>${esc(t("ping_mtu"))}</span>` +
    `<span><i class="fail"></i>${esc(t("ping_fail"))}</span></div>` +
    (lookups ? `<div class="lookups">${lookups}</div>` : "") + problems;
}

// -- the checklist -----------------------------------------------------------------------------------

function renderLesson(data) {
  const links = data.nodes.filter((n) => n.url).map((n) =>
    `<a href="${esc(n.url)}" target="_blank" rel="noopener" data-link="${esc(n.name)}">${esc(n.name)} · ${esc(n.url)}</a>`).join("");
  // Open what to fix first: stages with a failure, or, when nothing failed, those a missing fact blocked.
  const trouble = data.checks.stages.some((s) => s.outcome === "failed") ? ["failed"] : ["blocked"];
  const stages = data.checks.stages.map((s) => {
    const wanted = chosen[s.stage] ?? trouble.includes(s.outcome);
    const passed = s.checks.filter((c) => c.outcome === "passed" || c.outcome === "not_applicable").length;
    const told = new Set(); // a cause that blocks several checks of a stage is told once
    const checks = s.checks.map((c) => {
      let detail = "";
      if (c.outcome === "failed" || c.outcome === "blocked") {
        detail = checkDetail(c, told);
      } else if (c.outcome === "not_applicable" && c.message) {
        detail = `<div class="msg">${esc(c.message)}</div>`;
      }
      return `<li class="check ${esc(c.outcome)}" data-check="${esc(s.stage)}/${esc(c.id)}" data-outcome="${esc(c.outcome)}">` +
        `${outcomeMark(c.outcome)}<div class="body"><div class="title">${esc(c.title)}</div>${detail}</div></li>`;
    }).join("");
    return `<details class="stage" data-stage="${esc(s.stage)}" data-outcome="${esc(s.outcome)}"${wanted ? " open" : ""}>` +
      `<summary>${outcomeMark(s.outcome)}<span>${esc(s.stage)}</span>` +
      `<span class="count">${esc(stageTitle(s.stage))} · ${passed}/${s.checks.length}</span></summary>` +
      `<ul class="checks">${checks}</ul></details>`;
  }).join("");
  const el = document.getElementById("lesson");
  el.innerHTML = `<h2>${esc(t("lesson"))}</h2><div class="links" title="${esc(t("pages"))}">${links}</div>${stages}`;
  el.querySelectorAll("details.stage > summary").forEach((summary) => {
    summary.addEventListener("click", () => {
      const details = summary.parentElement;
      chosen[details.dataset.stage] = !details.open;
    });
  });
}

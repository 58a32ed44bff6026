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
  document.querySelectorAll("[data-word]").forEach((node) => { node.textContent = t(node.dataset.word); });
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
  show(document.getElementById("summary"), Object.entries(counts).filter(([, n]) => n)
    .map(([o, n]) => el("span", { class: `pill ${o}`, "data-count": o }, `${t("n_" + o)}: ${n}`)));
  show(document.getElementById("banners"), banners(data));
  if (!data.nodes) return;
  renderCluster(data);
  renderOverlay(data);
  renderLesson(data);
}

function banners(data) {
  return [
    data.refresh.error && el("div", { class: "banner", "data-banner": "read" }, `${t("stale")}: ${data.refresh.error}`),
    data.manager_error && el("div", { class: "banner soft", "data-banner": "manager" }, `${data.manager}: ${data.manager_error}`),
  ];
}

// -- the visualiser ------------------------------------------------------------------------------

function renderCluster(data) {
  const services = data.services.map((s) => {
    const ports = s.ports.map((p) => ` · ${t("port")} ${p.published}→${p.target}/${p.protocol} ${p.mode}`).join("");
    const health = s.health !== undefined ? ` · ${t("health")}: ${s.health || "—"}` : "";
    return el("span", { class: `service ${s.running < s.wanted ? "short" : ""}`, "data-service": s.name },
      el("b", {}, s.name), ` ${s.running}/${s.wanted} · ${s.mode}${ports}${health}`);
  });
  const columns = data.nodes.map(nodeColumn);
  if (data.unassigned.length) {
    columns.push(el("div", { class: "node", "data-node": "" },
      el("div", { class: "head" }, el("div", { class: "name" }, t("unassigned"))),
      el("div", { class: "tasks" }, data.unassigned.map(taskCard))));
  }
  show(document.getElementById("cluster"),
    el("h2", {}, `${t("cluster")} `, el("small", {}, data.title)),
    el("div", { class: "services" }, services), el("div", { class: "nodes" }, columns));
}

function nodeColumn(n) {
  const badges = [];
  if (n.role) badges.push(el("span", { class: "badge role" }, t(n.role), n.leader ? ` ★ ${t("leader")}` : ""));
  if (n.state) badges.push(el("span", { class: `badge ${n.state === "ready" ? "good" : "bad"}` }, n.state));
  if (n.availability) badges.push(el("span", { class: `badge ${n.availability === "active" ? "good" : "warn"}` }, n.availability));
  if (n.unreachable) badges.push(el("span", { class: "badge bad" }, t("unreachable")));
  else if (n.swarm && n.swarm !== "active") badges.push(el("span", { class: "badge warn" }, t("not_in_swarm")));
  if (!n.in_inventory) badges.push(el("span", { class: "badge warn" }, t("not_in_inventory")));
  const facts = [];
  if (n.engine) facts.push(el("span", {}, `${t("engine")} ${n.engine}`));
  if (n.addr || n.address) facts.push(el("span", { class: "mono" }, n.addr || n.address));
  const labels = Object.entries(n.labels || {}).map(([k, v]) => el("span", { class: "label" }, `${k}=${v}`));
  const problem = n.unreachable || n.docker_error || (n.message && n.state !== "ready" ? n.message : "");
  const tasks = n.tasks.length ? n.tasks.map(taskCard) : el("div", { class: "empty" }, t("no_tasks"));
  const down = n.unreachable || (n.state && n.state !== "ready");
  return el("div", { class: `node ${down ? "down" : ""}`, "data-node": n.name },
    el("div", { class: "head" },
      el("div", { class: "name" }, `${n.name} `, joined(badges, " ")),
      el("div", { class: "facts" }, facts),
      labels.length > 0 && el("div", { class: "labels" }, labels),
      problem && el("div", { class: "task err" }, problem),
      pageInfo(n)),
    el("div", { class: "tasks" }, tasks));
}

function pageInfo(n) {
  if (!n.url) return null;
  const link = el("a", { href: n.url, target: "_blank", rel: "noopener" }, n.url);
  if (!n.page) return el("div", { class: "pageinfo" }, link);
  if (n.page.error) return el("div", { class: "pageinfo" }, link, " → ", el("span", { class: "bad" }, n.page.error));
  const host = n.page.host ? [` · ${t("host")} `, el("b", {}, n.page.host)] : [];
  const status = n.page.status === 200 ? "200" : el("span", { class: "bad" }, n.page.status);
  return el("div", { class: "pageinfo", "data-page": n.name }, link, " → ", status, host, ` · ${n.page.posts} ${t("posts")}`);
}

function stateClass(state) {
  if (["running", "failed", "rejected", "orphaned", "shutdown", "complete", "remove"].includes(state)) return `state-${state}`;
  return "state-other";
}

function taskCard(task) {
  const meta = [ago(task.age)];
  if (task.ip) meta.push(el("span", { class: "mono" }, task.ip));
  if (task.hostname) meta.push(task.hostname);
  if (task.ports.length) meta.push(task.ports.join(", "));
  const health = task.health && [" ", el("span", {
    class: `badge ${task.health === "healthy" ? "good" : task.health === "starting" ? "warn" : "bad"}`,
    "data-health": task.health,
  }, task.health)];
  const errors = [];
  if (task.error) errors.push(el("div", { class: "err", "data-error": true }, task.error));
  if (task.state !== "running" && task.message && task.message !== task.error && task.message !== task.state) {
    errors.push(el("div", { class: "err" }, task.message, task.exit_code ? ` (${t("exit")} ${task.exit_code})` : ""));
  }
  if (task.health_output) errors.push(el("div", { class: "err" }, `${t("health")}: ${task.health_output}`));
  const prev = task.previous;
  if (prev) {
    errors.push(el("div", { class: "prev", "data-previous": true },
      `${t("previous")} (${ago(prev.age)} ${t("ago")}): ${prev.state} · ${prev.error || prev.message}`));
  }
  return el("div", { class: `task ${kind(task.short)} ${task.state}`, "data-task": task.id, "data-service": task.service, "data-state": task.state },
    el("div", { class: "line1" }, el("span", { class: "tname" }, task.name),
      el("span", {}, el("span", { class: `badge ${stateClass(task.state)}` }, task.state), health)),
    el("div", { class: "meta" }, joined(meta, " · ")), errors);
}

// -- the overlay -------------------------------------------------------------------------------------

const ARROWS = { ok: "#2f9e55", mtu: "#a77b00", fail: "#c9362b" };

function renderOverlay(data) {
  const o = data.overlay;
  const head = el("h2", {}, `${t("overlay")} `, el("small", {},
    `${o.name}${o.subnet ? " · " + o.subnet : ""}${o.driver ? " · " + o.driver + "/" + o.scope : ""}`));
  const target = document.getElementById("overlay");
  if (!o.exists) {
    show(target, head, el("p", { class: "empty" }, t("no_network")));
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
  parts.push(svg("defs", {}, Object.entries(ARROWS).map(([k, colour]) =>
    svg("marker", { id: `arrow-${k}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
      svg("path", { d: "M 0 0 L 10 5 L 0 10 z", class: `arrow-${k}`, fill: colour })))));
  const svcW = Math.min(240, (W - 10) / Math.max(o.services.length, 1) - 10);
  o.services.forEach((s, i) => {
    const x = 10 + i * (svcW + 10);
    const sub = s.vip ? `${t("vip")} ${s.vip}` : `${s.mode} · ${s.names.join(", ")}`;
    parts.push(svg("g", { "data-vip": s.name },
      svg("line", { class: "bus", x1: x + svcW / 2, y1: svcTop + svcH, x2: x + svcW / 2, y2: barY }),
      svg("rect", { class: "svc", x, y: svcTop, width: svcW, height: svcH, rx: 6 }),
      svg("text", { class: "svc-text", x: x + 10, y: svcTop + 17 }, s.name),
      svg("text", { class: "svc-sub", x: x + 10, y: svcTop + 32 }, sub)));
  });
  parts.push(svg("rect", { class: "ov-bar", x: 0, y: barY, width: W, height: barH, rx: 5 }),
    svg("text", { class: "ov-bar-text", x: 12, y: barY + 19 }, `${o.name}${o.subnet ? "  " + o.subnet : ""}`));
  const where = {};
  lanes.forEach((name, li) => {
    const x = li * laneW;
    const node = data.nodes.find((n) => n.name === name);
    const items = perLane[name];
    const lane = svg("g", { "data-lane": name },
      svg("rect", { class: "lane", x: x + 4, y: laneTop, width: laneW - 8, height: H - laneTop - 2, rx: 6 }),
      svg("text", { class: "lane-title", x: x + 16, y: laneTop + 18 }, name),
      svg("text", { class: "lane-sub", x: x + 16, y: laneTop + 33 }, node ? node.addr || node.address || "" : ""));
    const busX = x + 18;
    if (items.length) {
      const lastY = laneTop + 44 + (items.length - 1) * (boxH + gap) + boxH / 2;
      put(lane, svg("line", { class: "bus", x1: busX, y1: barY + barH, x2: busX, y2: lastY }));
    }
    items.forEach((e, i) => {
      const bx = x + 30, by = laneTop + 44 + i * (boxH + gap), bw = laneW - 44;
      where[e.task] = { x: bx, y: by, w: bw, lane: li };
      put(lane, svg("line", { class: "bus", x1: busX, y1: by + boxH / 2, x2: bx, y2: by + boxH / 2 }),
        svg("g", { "data-endpoint": e.task },
          svg("rect", { class: `box ${kind(e.service.split("_").slice(1).join("_"))}`, x: bx, y: by, width: bw, height: boxH, rx: 5 }),
          svg("text", { class: "box-title", x: bx + 8, y: by + 15 }, e.name),
          svg("text", { class: "box-ip", x: bx + 8, y: by + 30 }, `${e.ip}${e.hostname ? "  " + e.hostname : ""}`)));
    });
    parts.push(lane);
  });
  o.pings.forEach((p) => {
    const a = where[p.from], b = where[p.to];
    if (!a || !b) return;
    const state = p.small && p.large ? "ok" : p.small ? "mtu" : "fail";
    const right = b.lane > a.lane;
    const x1 = right ? a.x + a.w : a.x, x2 = right ? b.x : b.x + b.w;
    const y1 = a.y + boxH / 2, y2 = b.y + boxH / 2, bend = Math.max(40, Math.abs(x2 - x1) * 0.35) * (right ? 1 : -1);
    const label = `${p.from_node} → ${p.target} (${p.to_node}): ${t("ping_" + state)}`;
    parts.push(svg("path", {
      class: `ping ${state}`, "data-ping": `${p.from}>${p.to}`, "data-outcome": state,
      d: `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`, "marker-end": `url(#arrow-${state})`,
    }, svg("title", {}, label)));
  });
  const answers = {};
  o.lookups.forEach((l) => {
    const key = `${l.name}\u0000${l.addresses.join(", ")}`;
    (answers[key] = answers[key] || []).push(l.node);
  });
  const lookups = Object.entries(answers).map(([key, nodes]) => {
    const [name, addresses] = key.split("\u0000");
    return [`${nodes.join(", ")}: `, el("span", { class: "mono" }, name), ` ${t("resolves")} `,
      addresses ? el("span", { class: "mono" }, addresses) : "—"];
  });
  show(target, head, svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": o.name }, parts),
    el("div", { class: "legend" },
      el("span", {}, el("i", {}), t("ping_ok")), el("span", {}, el("i", { class: "mtu" }), t("ping_mtu")),
      el("span", {}, el("i", { class: "fail" }), t("ping_fail"))),
    lookups.length > 0 && el("div", { class: "lookups" }, joined(lookups, () => el("br", {}))),
    o.probe_errors.map((p) => el("div", { class: "banner soft" }, `${p.node}: ${p.error}`)));
}

// -- the checklist -----------------------------------------------------------------------------------

function renderLesson(data) {
  const links = data.nodes.filter((n) => n.url).map((n) =>
    el("a", { href: n.url, target: "_blank", rel: "noopener", "data-link": n.name }, `${n.name} · ${n.url}`));
  // Open what to fix first: stages with a failure, or, when nothing failed, those a missing fact blocked.
  const trouble = data.checks.stages.some((s) => s.outcome === "failed") ? ["failed"] : ["blocked"];
  const stages = data.checks.stages.map((s) => {
    const wanted = chosen[s.stage] ?? trouble.includes(s.outcome);
    const passed = s.checks.filter((c) => c.outcome === "passed" || c.outcome === "not_applicable").length;
    const told = new Set(); // a cause that blocks several checks of a stage is told once
    const checks = s.checks.map((c) => {
      let detail = null;
      if (c.outcome === "failed" || c.outcome === "blocked") {
        detail = checkDetail(c, told);
      } else if (c.outcome === "not_applicable" && c.message) {
        detail = el("div", { class: "msg" }, c.message);
      }
      return el("li", { class: `check ${c.outcome}`, "data-check": `${s.stage}/${c.id}`, "data-outcome": c.outcome },
        outcomeMark(c.outcome), el("div", { class: "body" }, el("div", { class: "title" }, c.title), detail));
    });
    const summary = el("summary", {}, outcomeMark(s.outcome), el("span", {}, s.stage),
      el("span", { class: "count" }, `${stageTitle(s.stage)} · ${passed}/${s.checks.length}`));
    summary.addEventListener("click", () => {
      chosen[s.stage] = !summary.parentElement.open;
    });
    return el("details", { class: "stage", "data-stage": s.stage, "data-outcome": s.outcome, open: wanted },
      summary, el("ul", { class: "checks" }, checks));
  });
  show(document.getElementById("lesson"), el("h2", {}, t("lesson")), el("div", { class: "links", title: t("pages") }, links), stages);
}

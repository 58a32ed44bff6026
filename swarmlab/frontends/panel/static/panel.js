// The panel's lists (stacks, services, containers with their logs, volumes) and the dashboard's visualiser,
// redrawn from one snapshot stream. Nothing here sends anything but reads: the panel changes nothing.
"use strict";

let latest = null;

function p(key) {
  return WORDS[LANG][`panel.${key}`] || t(key);
}

document.addEventListener("DOMContentLoaded", () => {
  panelWords();
  showTab();
  window.addEventListener("hashchange", showTab);
  document.getElementById("logs").addEventListener("click", (event) => {
    if (event.target.closest("[data-close]")) document.getElementById("logs").hidden = true;
  });
  document.getElementById("view-containers").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-logs]");
    if (button) showLogs(button.dataset.node, button.dataset.logs, button.dataset.name);
  });
  follow(render);
});

function panelWords() {
  document.querySelectorAll("[data-p]").forEach((node) => { node.textContent = p(node.dataset.p); });
  document.getElementById("offline").textContent = t("disconnected");
}

function showTab() {
  const wanted = (location.hash || "#stacks").slice(1);
  const tab = document.querySelector(`[data-view="${CSS.escape(wanted)}"]`) ? wanted : "stacks";
  document.querySelectorAll("[data-view]").forEach((node) => { node.hidden = node.dataset.view !== tab; });
  document.querySelectorAll("[data-tab]").forEach((node) => { node.classList.toggle("on", node.dataset.tab === tab); });
}

function render(data) {
  latest = data;
  panelWords();
  document.title = `${p("services")} · swarmlab panel`;
  document.getElementById("subtitle").textContent =
    `${data.manager || ""} · ${t("every")} ${data.refresh.interval} ${t("s")} · ${t("round")} ${data.refresh.round}`;
  show(document.getElementById("banners"), banners(data));
  if (!data.panel) return;
  renderStacks(data.panel);
  renderServices(data.panel);
  renderContainers(data.panel);
  renderVolumes(data.panel);
  renderCluster(data);
  renderOverlay(data);
}

function table(columns, rows, empty) {
  if (!rows.length) return el("p", { class: "empty" }, p(empty));
  return el("table", { class: "list" }, el("thead", {}, el("tr", {}, columns.map((c) => el("th", {}, p(c))))),
    el("tbody", {}, rows));
}

function renderStacks(panel) {
  const rows = panel.stacks.map((s) => el("tr", { "data-stack": s.name }, el("td", {}, el("b", {}, s.name)),
    el("td", {}, `${s.services.join(", ")} (${s.services.length})`)));
  show(document.getElementById("view-stacks"), el("h2", {}, p("stacks")), table(["name", "services"], rows, "no_stacks"));
}

function renderServices(panel) {
  const rows = panel.services.map((s) => {
    const constraints = s.constraints.length ? s.constraints.map((c) => el("span", { class: "constraint" }, c)) : p("none");
    const nodes = Object.entries(s.nodes).map(([n, count]) => `${n}=${count}`).join(", ") || "—";
    return el("tr", { "data-service": s.name }, el("td", {}, el("b", {}, s.name)), el("td", {}, s.stack || "—"),
      el("td", {}, s.mode), el("td", { class: "mono" }, s.image),
      el("td", { class: `num ${s.running < s.wanted ? "short" : ""}`, "data-replicas": true }, `${s.running}/${s.wanted}`),
      el("td", { "data-placement": true }, constraints), el("td", { "data-nodes": true }, nodes),
      el("td", {}, s.ports.join(", ") || "—"));
  });
  show(document.getElementById("view-services"), el("h2", {}, p("services")),
    table(["name", "stack", "mode", "image", "replicas", "placement", "nodes", "ports"], rows, "no_services"));
}

function renderContainers(panel) {
  const nodes = [...new Set(panel.containers.map((c) => c.node))];
  const parts = nodes.map((node) => {
    const rows = panel.containers.filter((c) => c.node === node).map((c) => el("tr", { "data-container": c.name },
      el("td", {}, el("b", {}, c.name)), el("td", {}, c.state, c.health ? ` (${c.health})` : ""),
      el("td", { class: "mono" }, c.image), el("td", {}, c.service || "—"), el("td", {}, clock(c.started)),
      el("td", {}, el("button", { type: "button", class: "logs", "data-logs": c.id, "data-node": node, "data-name": c.name }, p("logs")))));
    return [el("h3", { class: "nodehead", "data-node": node }, node),
      table(["name", "state", "image", "service", "started", "logs"], rows, "no_containers")];
  });
  show(document.getElementById("view-containers"), el("h2", {}, p("containers")),
    parts.length ? parts : el("p", { class: "empty" }, p("no_containers")));
}

function renderVolumes(panel) {
  const rows = panel.volumes.map((v) => el("tr", { "data-volume": v.name, "data-node": v.node },
    el("td", {}, el("b", {}, v.name)), el("td", {}, v.node), el("td", {}, v.driver), el("td", {}, v.stack || "—"),
    el("td", {}, v.used_by.join(", ") || "—")));
  show(document.getElementById("view-volumes"), el("h2", {}, p("volumes")),
    table(["name", "node", "driver", "stack", "used_by"], rows, "no_volumes"));
}

async function showLogs(node, container, name) {
  const aside = document.getElementById("logs");
  const head = () => [el("button", { class: "close", title: p("close"), "data-close": true }, "×"),
    el("h2", {}, `${p("logs")}: ${name}`), el("div", { class: "status" }, node)];
  show(aside, head(), el("p", { class: "empty" }, p("loading")));
  aside.hidden = false;
  const answer = await fetch(`/api/logs?node=${encodeURIComponent(node)}&container=${encodeURIComponent(container)}`);
  const body = await answer.json();
  const text = answer.ok ? (body.lines.length ? body.lines.join("\n") : p("empty_log")) : body.error;
  show(aside, head(), el("pre", { class: "lines", "data-log": name }, text));
}

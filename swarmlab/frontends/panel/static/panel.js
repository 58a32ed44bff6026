// The panel's lists (stacks, services, containers with their logs, volumes) and the dashboard's visualiser,
// redrawn from one snapshot stream. The Services tab's forms (scale, update the image, remove) ask the server
// what a change would do, show it for confirmation, and only then send it, with the session's token.
"use strict";

let latest = null;
const edits = {};  // {service: {replicas, image}} typed but not yet sent: kept across redraws

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
  const services = document.getElementById("view-services");
  services.addEventListener("input", (event) => {
    const row = event.target.closest("[data-service]");
    if (row && event.target.dataset.field) {
      edits[row.dataset.service] = { ...edits[row.dataset.service], [event.target.dataset.field]: event.target.value };
    }
  });
  services.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const row = form.closest("[data-service]");
    const fields = { action: form.dataset.act, service: row.dataset.service };
    form.querySelectorAll("[data-field]").forEach((node) => { fields[node.dataset.field] = node.value; });
    askToConfirm(fields);
  });
  const confirm = document.getElementById("confirm");
  confirm.addEventListener("click", (event) => { if (event.target.closest("[data-cancel]")) confirm.hidden = true; });
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
  const view = document.getElementById("view-services");
  // a field being typed in is not redrawn under the cursor: the next snapshot redraws the tab
  if (view.contains(document.activeElement) && document.activeElement.dataset.field) return;
  const rows = panel.services.map((s) => {
    const constraints = s.constraints.length ? s.constraints.map((c) => el("span", { class: "constraint" }, c)) : p("none");
    const nodes = Object.entries(s.nodes).map(([n, count]) => `${n}=${count}`).join(", ") || "—";
    return el("tr", { "data-service": s.name }, el("td", {}, el("b", {}, s.name)), el("td", {}, s.stack || "—"),
      el("td", {}, s.mode), el("td", { class: "mono" }, s.image),
      el("td", { class: `num ${s.running < s.wanted ? "short" : ""}`, "data-replicas": true }, `${s.running}/${s.wanted}`),
      el("td", { "data-placement": true }, constraints), el("td", { "data-nodes": true }, nodes),
      el("td", {}, s.ports.join(", ") || "—"), el("td", { class: "act" }, serviceForms(s)));
  });
  show(view, el("h2", {}, p("services")),
    table(["name", "stack", "mode", "image", "replicas", "placement", "nodes", "ports", "actions"], rows, "no_services"));
}

function serviceForms(s) {
  const typed = edits[s.name] || {};
  const chosen = typed.image ?? s.image;
  const scale = s.mode === "replicated"
    ? el("form", { "data-act": "scale" },
      el("input", { type: "number", min: "0", max: "100", required: true, "data-field": "replicas",
        value: String(typed.replicas ?? s.replicas) }),
      el("button", { type: "submit", class: "act" }, p("scale")))
    : [];
  const options = s.choices.map((image) => {
    const option = el("option", { value: image }, image);
    option.selected = image === chosen;
    return option;
  });
  return [scale,
    el("form", { "data-act": "image" }, el("select", { "data-field": "image" }, options),
      el("button", { type: "submit", class: "act" }, p("update"))),
    el("form", { "data-act": "remove" }, el("button", { type: "submit", class: "act danger" }, p("remove")))];
}

function confirmHead(fields) {
  return [el("button", { class: "close", title: p("close"), "data-cancel": true }, "×"),
    el("h2", {}, `${p(`confirm_${fields.action}`)}: ${fields.service}`)];
}

async function askToConfirm(fields) {
  const aside = document.getElementById("confirm");
  show(aside, confirmHead(fields), el("p", { class: "empty" }, p("planning")));
  aside.hidden = false;
  const answer = await fetch(`/api/plan?${new URLSearchParams(fields)}`);
  const body = await answer.json();
  if (!answer.ok) {
    show(aside, confirmHead(fields), el("p", { "data-outcome": "error" }, body.error));
    return;
  }
  const apply = el("button", { type: "button", "data-apply": true, class: fields.action === "remove" ? "danger" : "" }, p("apply"));
  apply.addEventListener("click", () => change(fields));
  show(aside, confirmHead(fields), el("p", { class: "said", "data-said": true }, body.said), el("code", {}, body.command),
    el("div", { class: "buttons" }, apply, el("button", { type: "button", "data-cancel": true }, p("cancel"))));
}

async function change(fields) {
  const aside = document.getElementById("confirm");
  show(aside, confirmHead(fields), el("p", { class: "empty" }, p("sending")));
  const token = document.querySelector("meta[name=panel-token]").content;
  const answer = await fetch("/api/change", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, token }),
  });
  const body = await answer.json();
  if (answer.ok) delete edits[fields.service];
  show(aside, confirmHead(fields), el("p", { "data-outcome": answer.ok ? "ok" : "error" }, answer.ok ? body.said : body.error),
    body.output ? el("pre", { class: "lines" }, body.output) : [],
    el("div", { class: "buttons" }, el("button", { type: "button", "data-cancel": true }, p("close"))));
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

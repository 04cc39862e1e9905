"use strict";
// npu-advisor HTML report. Every model-derived string reaches the page through textContent or
// setAttribute, never through markup parsing.
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const NODE_W = 168, NODE_H = 38, IO_W = 120, IO_H = 26;
  const KINDS = ["unsupported", "performance", "accuracy", "model"];
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const g = data.graph, targets = data.targets;
  const state = { target: 0, selected: -1, k: 1, x: 0, y: 0, searchFrom: 0, kind: null };
  const nodeEls = [], edgeEls = [];

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const k in attrs) e.setAttribute(k, String(attrs[k]));
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  function pct(f) { return (100 * f).toFixed(f > 0 && f < 0.001 ? 2 : 1) + "%"; }
  function ms(v) { return (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : String(Number(v.toPrecision(2)))) + " ms"; }
  function big(n) {
    const u = [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];
    for (const [d, s] of u) if (n >= d) return (n / d).toFixed(n / d >= 100 ? 0 : 2) + " " + s;
    return String(n);
  }
  function bytes(n) {
    if (n >= 1048576) return (n / 1048576).toFixed(2) + " MiB";
    if (n >= 1024) return (n / 1024).toFixed(1) + " KiB";
    return n + " B";
  }
  function clip(s, n) { return s.length > n ? s.slice(0, n - 1) + "…" : s; }
  // Converters join fused names with ';' and nest scopes with '/': the first name's tail says most.
  function tail(s, n) { const first = s.split(";")[0]; return first.length > n ? "…" + first.slice(first.length - n + 1) : first; }
  function tensor(i) { return i >= 0 && i < g.tensors.length ? g.tensors[i] : null; }
  function tensorText(i) {
    const t = tensor(i);
    return t ? t.name + "  " + t.shape + " " + t.type : "tensor " + i;
  }
  function opLabel(i) { const o = g.ops[i]; return "#" + i + " " + o.type + " '" + o.name + "'"; }
  function cur() { return targets[state.target]; }
  function placementOf(t, i) { return t.ops[i] ? t.ops[i].placement : "cpu"; }
  function side(p) { return p === "npu" ? "npu" : "cpu"; }

  // ---------- header ----------
  const m = data.model;
  document.getElementById("model-name").textContent = m.file || m.path || "model";
  document.title = "npu-advisor — " + (m.file || "model");
  const facts = [m.format.toUpperCase(), m.layout, g.ops.length + " ops in main subgraph"];
  if (m.subgraphs > 1) facts.push(m.subgraphs + " subgraphs, " + m.totalOps + " ops in all");
  if (m.fileSize > 0) facts.push(bytes(m.fileSize));
  if (m.description) facts.push(clip(m.description, 80));
  document.getElementById("model-facts").textContent = facts.join(" · ");

  const tabs = document.getElementById("target-tabs");
  targets.forEach((t, i) => {
    const b = el("button", "tab", t.name);
    b.type = "button";
    b.setAttribute("role", "tab");
    b.setAttribute("data-target-id", t.id);
    b.title = t.description;
    b.addEventListener("click", () => selectTarget(i));
    tabs.appendChild(b);
  });

  // ---------- graph ----------
  const svgEl = document.getElementById("graph"), viewport = document.getElementById("viewport");
  const edgesG = document.getElementById("edges"), nodesG = document.getElementById("nodes");
  const tip = document.getElementById("edge-tip");
  const nodePos = {};
  g.ops.forEach(o => { nodePos["op-" + o.index] = o; });
  g.inputs.forEach(n => { nodePos[n.id] = n; });
  g.outputs.forEach(n => { nodePos[n.id] = n; });

  function pathOf(pts) {
    let d = "M" + pts[0] + "," + pts[1];
    for (let i = 2; i < pts.length; i += 2) {
      const x0 = pts[i - 2], y0 = pts[i - 1], x1 = pts[i], y1 = pts[i + 1], h = (y1 - y0) / 2;
      d += " C" + x0 + "," + (y0 + h) + " " + x1 + "," + (y1 - h) + " " + x1 + "," + y1;
    }
    return d;
  }

  g.edges.forEach((e, i) => {
    const grp = svg("g", { class: "edge", "data-from": e.from, "data-to": e.to, "data-tensor": e.tensor });
    const d = pathOf(e.points);
    const line = svg("path", { d: d, class: "line", "marker-end": "url(#arrow)" });
    const hit = svg("path", { d: d, class: "hit" });
    const title = svg("title", {});
    title.textContent = tensorText(e.tensor);
    hit.appendChild(title);
    grp.appendChild(line);
    grp.appendChild(hit);
    hit.addEventListener("mousemove", ev => showTip(ev, e.tensor));
    hit.addEventListener("mouseleave", () => { tip.hidden = true; grp.classList.remove("hover"); });
    hit.addEventListener("mouseenter", () => grp.classList.add("hover"));
    edgesG.appendChild(grp);
    edgeEls.push({ e: e, grp: grp, line: line });
  });

  function showTip(ev, ti) {
    const t = tensor(ti);
    clear(tip);
    tip.appendChild(el("div", "tip-name", t ? t.name : "tensor " + ti));
    if (t) tip.appendChild(el("div", "tip-shape", t.shape + " · " + t.type + (t.quant !== "none" ? " · " + t.quant : "")));
    tip.hidden = false;
    const r = svgEl.getBoundingClientRect();
    tip.style.left = Math.min(ev.clientX - r.left + 14, r.width - 260) + "px";
    tip.style.top = (ev.clientY - r.top + 14) + "px";
  }

  function ioNode(n, kind) {
    const t = tensor(n.tensor);
    const grp = svg("g", { class: "node io " + kind, id: "node-" + n.id, "data-tensor": n.tensor, transform: "translate(" + n.x + "," + n.y + ")" });
    grp.appendChild(svg("rect", { x: -IO_W / 2, y: -IO_H / 2, width: IO_W, height: IO_H, rx: IO_H / 2 }));
    const text = svg("text", { y: 4, "text-anchor": "middle", class: "io-label" });
    text.textContent = (kind === "input" ? "in: " : "out: ") + (t ? tail(t.name, 15) : "?");
    grp.appendChild(text);
    const title = svg("title", {});
    title.textContent = (kind === "input" ? "Graph input " : "Graph output ") + tensorText(n.tensor);
    grp.appendChild(title);
    nodesG.appendChild(grp);
  }
  g.inputs.forEach(n => ioNode(n, "input"));
  g.outputs.forEach(n => ioNode(n, "output"));

  g.ops.forEach(o => {
    const grp = svg("g", { class: "node op", id: "op-" + o.index, "data-op-index": o.index, transform: "translate(" + o.x + "," + o.y + ")", tabindex: 0 });
    grp.appendChild(svg("rect", { class: "box", x: -NODE_W / 2, y: -NODE_H / 2, width: NODE_W, height: NODE_H, rx: 5 }));
    grp.appendChild(svg("rect", { class: "stripe", x: -NODE_W / 2, y: -NODE_H / 2, width: 6, height: NODE_H, rx: 2 }));
    const type = svg("text", { x: -NODE_W / 2 + 12, y: -4, class: "op-type" });
    type.textContent = clip(o.type, 22);
    const name = svg("text", { x: -NODE_W / 2 + 12, y: 12, class: "op-name" });
    name.textContent = tail(o.name, 25);
    const badge = svg("g", { class: "badge", transform: "translate(" + (NODE_W / 2 - 2) + "," + (-NODE_H / 2 + 2) + ")" });
    badge.appendChild(svg("circle", { r: 8 }));
    const bt = svg("text", { y: 3.5, "text-anchor": "middle" });
    badge.appendChild(bt);
    const title = svg("title", {});
    grp.appendChild(type);
    grp.appendChild(name);
    grp.appendChild(badge);
    grp.appendChild(title);
    grp.addEventListener("click", ev => { ev.stopPropagation(); selectOp(o.index, false); });
    grp.addEventListener("keydown", ev => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); selectOp(o.index, false); } });
    nodesG.appendChild(grp);
    nodeEls.push({ grp: grp, badge: badge, badgeText: bt, title: title });
  });

  // ---------- pan & zoom ----------
  function apply() { viewport.setAttribute("transform", "translate(" + state.x + "," + state.y + ") scale(" + state.k + ")"); }
  function zoomAt(factor, cx, cy) {
    const k = Math.min(3, Math.max(0.004, state.k * factor));
    state.x = cx - (cx - state.x) * (k / state.k);
    state.y = cy - (cy - state.y) * (k / state.k);
    state.k = k;
    apply();
  }
  function fit(all) {
    const r = svgEl.getBoundingClientRect();
    const kx = r.width / g.width, ky = r.height / g.height;
    let k = Math.min(1, kx, ky);
    // A deep graph fitted whole is unreadable; start at readable width from the top instead.
    if (!all && k < 0.45) k = Math.min(1, Math.max(0.45, kx));
    state.k = k;
    state.x = (r.width - g.width * k) / 2;
    state.y = all ? (r.height - g.height * k) / 2 : Math.max(0, (r.height - g.height * k) / 2);
    if (state.x < 0 && !all) state.x = 10;
    apply();
  }
  function centerOn(o) {
    const r = svgEl.getBoundingClientRect();
    if (state.k < 0.6) state.k = 0.9;
    state.x = r.width / 2 - o.x * state.k;
    state.y = r.height / 2 - o.y * state.k;
    apply();
  }
  svgEl.addEventListener("wheel", ev => {
    ev.preventDefault();
    const r = svgEl.getBoundingClientRect();
    if (ev.ctrlKey || ev.metaKey || Math.abs(ev.deltaY) > 0 && !ev.shiftKey && ev.deltaMode === 0 && Math.abs(ev.deltaX) < 1) {
      zoomAt(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
    } else {
      state.x -= ev.deltaX; state.y -= ev.deltaY; apply();
    }
  }, { passive: false });
  let drag = null;
  svgEl.addEventListener("pointerdown", ev => {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, sx: state.x, sy: state.y, moved: false };
  });
  window.addEventListener("pointermove", ev => {
    if (!drag) return;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; svgEl.classList.add("panning"); }
    state.x = drag.sx + dx; state.y = drag.sy + dy; apply();
  });
  let justPanned = false;
  window.addEventListener("pointerup", () => { justPanned = !!(drag && drag.moved); drag = null; svgEl.classList.remove("panning"); });
  document.getElementById("zoom-in").addEventListener("click", () => { const r = svgEl.getBoundingClientRect(); zoomAt(1.25, r.width / 2, r.height / 2); });
  document.getElementById("zoom-out").addEventListener("click", () => { const r = svgEl.getBoundingClientRect(); zoomAt(0.8, r.width / 2, r.height / 2); });
  document.getElementById("zoom-fit").addEventListener("click", () => fit(true));

  const search = document.getElementById("op-search");
  search.addEventListener("keydown", ev => {
    if (ev.key !== "Enter") return;
    const q = search.value.trim().toLowerCase();
    if (!q) return;
    const n = g.ops.length;
    for (let s = 0; s < n; s++) {
      const i = (state.searchFrom + s) % n, o = g.ops[i];
      if (o.name.toLowerCase().includes(q) || o.type.toLowerCase().includes(q) || String(i) === q) {
        state.searchFrom = i + 1;
        selectOp(i, true);
        return;
      }
    }
    search.classList.add("nomatch");
    setTimeout(() => search.classList.remove("nomatch"), 600);
  });

  // ---------- target-dependent views ----------
  function selectTarget(i) {
    if (state.target !== i) state.kind = null;
    state.target = i;
    const t = cur();
    Array.from(tabs.children).forEach((b, j) => {
      b.setAttribute("aria-selected", j === i ? "true" : "false");
      b.classList.toggle("active", j === i);
    });
    document.body.setAttribute("data-target", t.id);
    nodeEls.forEach((n, idx) => {
      const r = t.ops[idx] || { placement: "cpu", findings: [] };
      n.grp.setAttribute("data-placement", r.placement);
      n.grp.setAttribute("data-segment", r.segment === undefined ? "" : r.segment);
      const count = r.findings.length;
      n.badge.style.display = count ? "" : "none";
      n.badgeText.textContent = count > 9 ? "9+" : String(count);
      const kinds = r.findings.map(f => t.findings[f].kind);
      n.badge.setAttribute("class", "badge " + (kinds.includes("unsupported") ? "unsupported" : kinds[0] || ""));
      const o = g.ops[idx];
      let text = opLabel(idx) + "\n" + t.name + ": " + r.placement.toUpperCase();
      if (r.segment !== undefined) text += ", segment " + r.segment;
      if (r.ms !== undefined) text += ", " + ms(r.ms);
      if (o.macs > 0) text += "\nMACs " + big(o.macs);
      r.findings.forEach(f => { text += "\n• " + t.findings[f].rule + ": " + t.findings[f].message; });
      n.title.textContent = text;
    });
    edgeEls.forEach(x => {
      const from = x.e.from.startsWith("op-") ? side(placementOf(t, +x.e.from.slice(3))) : null;
      const to = x.e.to.startsWith("op-") ? side(placementOf(t, +x.e.to.slice(3))) : null;
      const boundary = from !== null && to !== null && from !== to;
      x.grp.classList.toggle("boundary", boundary);
      x.grp.setAttribute("data-boundary", boundary ? "true" : "false");
      x.line.setAttribute("marker-end", boundary ? "url(#arrow-boundary)" : "url(#arrow)");
    });
    renderSummary();
    renderFindings();
    renderCompare();
    renderDetails();
  }

  function kv(dl, k, v) {
    dl.appendChild(el("dt", null, k));
    dl.appendChild(el("dd", null, v));
  }

  function renderSummary() {
    const t = cur(), s = t.summary, box = document.getElementById("summary");
    clear(box);
    const h = el("h2", null, t.name);
    box.appendChild(h);
    if (t.description && t.description !== t.name) box.appendChild(el("p", "desc", t.description));
    const cards = el("div", "cards");
    function card(label, value, sub, cls) {
      const c = el("div", "card" + (cls ? " " + cls : ""));
      c.appendChild(el("div", "card-value", value));
      c.appendChild(el("div", "card-label", label));
      if (sub) c.appendChild(el("div", "card-sub", sub));
      cards.appendChild(c);
    }
    card("ops on NPU", s.ops ? pct(s.npuOps / s.ops) : "—", s.npuOps + " of " + s.ops, "npu-share");
    card("MACs on NPU", s.totalMacs ? pct(s.npuMacFraction) : "—", big(s.totalMacs) + " MACs in all");
    card("segments", String(s.segments), s.firstCpuOp !== undefined ? "first CPU op #" + s.firstCpuOp : "no CPU op in main");
    if (t.estimateMs !== undefined) card("estimated latency", ms(t.estimateMs), s.npuMs !== undefined ? "NPU " + ms(s.npuMs) + " · CPU " + ms(s.cpuMs) : "");
    else card("estimated latency", "—", "no cost model estimate");
    box.appendChild(cards);
    const kinds = el("div", "kinds");
    KINDS.forEach(k => {
      const n = s.findingsByKind[k] || 0;
      const p = el("button", "pill " + k + (n ? "" : " zero") + (state.kind === k ? " on" : ""), k + " " + n);
      p.type = "button";
      p.setAttribute("data-kind", k);
      p.title = state.kind === k ? "Show all findings" : "Show only " + k + " findings";
      p.disabled = n === 0;
      p.addEventListener("click", () => { state.kind = state.kind === k ? null : k; renderSummary(); renderFindings(); });
      kinds.appendChild(p);
    });
    box.appendChild(kinds);
    if (t.segments.length > 0) {
      const bar = el("div", "segbar");
      bar.setAttribute("aria-label", "Segments in execution order");
      t.segments.forEach(sg => {
        const b = el("button", "seg " + (sg.npu ? "npu" : "cpu"));
        b.type = "button";
        b.style.flexGrow = String(Math.max(1, sg.count));
        b.title = "Segment " + sg.index + ": " + (sg.npu ? "NPU" : "CPU") + ", " + sg.count + " ops from #" + sg.first +
          (sg.bytesIn || sg.bytesOut ? ", crossing in " + bytes(sg.bytesIn) + " / out " + bytes(sg.bytesOut) : "");
        b.addEventListener("click", () => { if (sg.first >= 0) selectOp(sg.first, true); });
        bar.appendChild(b);
      });
      box.appendChild(bar);
      box.appendChild(el("div", "segcap", "Segments in execution order (click one to go to its first op)"));
    }
  }

  function findingItem(t, f, fi, compact) {
    const li = el("li", "finding " + f.kind);
    li.setAttribute("data-finding-index", fi);
    if (f.op !== undefined && f.subgraph === 0) li.setAttribute("data-op-index", f.op);
    const head = el("div", "f-head");
    head.appendChild(el("span", "pill " + f.kind, f.kind));
    head.appendChild(el("span", "rule", f.rule));
    if (f.savesMs !== undefined) head.appendChild(el("span", "saves", "saves " + ms(f.savesMs)));
    li.appendChild(head);
    if (!compact) {
      const where = f.op === undefined ? "whole model"
        : (f.subgraph === 0 ? "" : "subgraph " + f.subgraph + " ") + "#" + f.op + " " + f.opType + " '" + f.opName + "'";
      li.appendChild(el("div", "f-where", where));
    }
    li.appendChild(el("div", "f-msg", f.message));
    if (f.fix) li.appendChild(el("div", "f-fix", "Fix: " + f.fix));
    li.title = f.summary + (f.source ? "\nSource: " + f.source : "");
    return li;
  }

  function renderFindings() {
    const t = cur(), list = document.getElementById("findings-list");
    clear(list);
    const shown = t.findings.filter(f => !state.kind || f.kind === state.kind).length;
    document.getElementById("findings-count").textContent = state.kind ? shown + " of " + t.findings.length + " (" + state.kind + ")" : String(t.findings.length);
    if (t.findings.length === 0) {
      list.appendChild(el("li", "none", "No findings on " + t.name + "."));
      return;
    }
    t.findings.forEach((f, fi) => {
      if (state.kind && f.kind !== state.kind) return;
      const li = findingItem(t, f, fi, false);
      li.tabIndex = 0;
      const go = () => {
        Array.from(list.children).forEach(c => c.classList.remove("active"));
        li.classList.add("active");
        if (f.op !== undefined && f.subgraph === 0) selectOp(f.op, true);
      };
      li.addEventListener("click", go);
      li.addEventListener("keydown", ev => { if (ev.key === "Enter") go(); });
      list.appendChild(li);
    });
  }

  function selectOp(i, center) {
    state.selected = i;
    nodeEls.forEach((n, j) => {
      n.grp.classList.toggle("selected", j === i);
      if (j === i) n.grp.setAttribute("data-selected", "true"); else n.grp.removeAttribute("data-selected");
    });
    edgeEls.forEach(x => x.grp.classList.toggle("linked", x.e.from === "op-" + i || x.e.to === "op-" + i));
    if (center) centerOn(g.ops[i]);
    renderDetails();
  }

  function tensorTable(title, ids) {
    const wrap = el("div", "tensors");
    wrap.appendChild(el("h3", null, title));
    const table = el("table", "tt");
    const hr = el("tr");
    ["", "name", "shape", "type", "quantization"].forEach(h => hr.appendChild(el("th", null, h)));
    table.appendChild(hr);
    ids.forEach((ti, k) => {
      const tr = el("tr");
      const t = tensor(ti);
      tr.appendChild(el("td", "num", String(k)));
      if (!t) {
        tr.appendChild(el("td", "muted", ti < 0 ? "(omitted)" : "tensor " + ti));
        tr.appendChild(el("td")); tr.appendChild(el("td")); tr.appendChild(el("td"));
      } else {
        const parts = t.name.split(";");
        const name = el("td", "tname", parts[0]);
        if (parts.length > 1) { name.title = t.name; name.appendChild(el("span", "tag", "+" + (parts.length - 1) + " fused")); }
        if (t.const) name.appendChild(el("span", "tag", "const"));
        if (t.sparse) name.appendChild(el("span", "tag", "sparse"));
        tr.appendChild(name);
        tr.appendChild(el("td", "mono", t.shape));
        tr.appendChild(el("td", "mono", t.type));
        tr.appendChild(el("td", "quant", t.quant));
      }
      table.appendChild(tr);
    });
    wrap.appendChild(table);
    return wrap;
  }

  function renderDetails() {
    const body = document.getElementById("details-body");
    clear(body);
    const i = state.selected;
    if (i < 0 || i >= g.ops.length) {
      body.appendChild(el("p", "hint", "Click an op in the graph or a finding."));
      return;
    }
    const o = g.ops[i], t = cur(), r = t.ops[i] || { placement: "cpu", findings: [] };
    const head = el("div", "d-head");
    head.appendChild(el("span", "pill place " + r.placement, r.placement.toUpperCase()));
    head.appendChild(el("span", "d-type", o.type));
    head.appendChild(el("span", "d-index", "#" + i));
    body.appendChild(head);
    body.appendChild(el("div", "d-name", o.name));
    const dl = el("dl", "facts-list");
    if (r.segment !== undefined) kv(dl, "segment", String(r.segment));
    if (r.ms !== undefined) kv(dl, "estimate", ms(r.ms) + (r.bound ? " (" + r.bound + "-bound)" : ""));
    kv(dl, "MACs", o.macs > 0 ? big(o.macs) + " (" + o.macs + ")" : "0");
    if (o.paramBytes > 0) kv(dl, "parameters", bytes(o.paramBytes));
    if (o.version > 1) kv(dl, "version", String(o.version));
    body.appendChild(dl);
    const others = el("div", "others");
    targets.forEach((tt, j) => {
      const p = placementOf(tt, i);
      const s = el("button", "mini " + p, tt.name + ": " + p.toUpperCase());
      s.type = "button";
      s.title = "Show " + tt.name;
      s.addEventListener("click", () => selectTarget(j));
      others.appendChild(s);
    });
    body.appendChild(others);
    if (r.findings.length) {
      body.appendChild(el("h3", null, "Findings on " + t.name));
      const ol = el("ol", "d-findings");
      r.findings.forEach(fi => ol.appendChild(findingItem(t, t.findings[fi], fi, true)));
      body.appendChild(ol);
    }
    body.appendChild(tensorTable("Inputs", o.inputs));
    body.appendChild(tensorTable("Outputs", o.outputs));
    if (o.attrs.length) {
      body.appendChild(el("h3", null, "Attributes"));
      const adl = el("dl", "facts-list");
      o.attrs.forEach(a => kv(adl, a[0], a[1]));
      body.appendChild(adl);
    }
  }

  function renderCompare() {
    const table = document.getElementById("compare-table");
    clear(table);
    const anyEstimate = targets.some(t => t.estimateMs !== undefined);
    const cols = ["target", "ops on NPU", "MACs on NPU", "segments", "first CPU op"].concat(KINDS);
    if (anyEstimate) cols.push("estimate");
    const hr = el("tr");
    cols.forEach(c => hr.appendChild(el("th", null, c)));
    table.appendChild(hr);
    targets.forEach((t, i) => {
      const s = t.summary, tr = el("tr", i === state.target ? "current" : "");
      tr.setAttribute("data-target-id", t.id);
      tr.appendChild(el("td", "tname", t.name));
      tr.appendChild(el("td", "num", s.npuOps + "/" + s.ops + " (" + (s.ops ? pct(s.npuOps / s.ops) : "—") + ")"));
      const macs = el("td", "num");
      const bar = el("span", "bar");
      const fill = el("span", "fill");
      fill.style.width = (100 * s.npuMacFraction).toFixed(1) + "%";
      bar.appendChild(fill);
      macs.appendChild(bar);
      macs.appendChild(document.createTextNode(s.totalMacs ? pct(s.npuMacFraction) : "—"));
      tr.appendChild(macs);
      tr.appendChild(el("td", "num", String(s.segments)));
      tr.appendChild(el("td", "num", s.firstCpuOp !== undefined ? "#" + s.firstCpuOp : "—"));
      KINDS.forEach(k => tr.appendChild(el("td", "num" + ((s.findingsByKind[k] || 0) ? " " + k : " zero"), String(s.findingsByKind[k] || 0))));
      if (anyEstimate) tr.appendChild(el("td", "num", t.estimateMs !== undefined ? ms(t.estimateMs) : "—"));
      tr.addEventListener("click", () => selectTarget(i));
      table.appendChild(tr);
    });
  }

  function renderOpTypes() {
    const table = document.getElementById("optype-table");
    const byType = new Map();
    g.ops.forEach((o, i) => {
      if (!byType.has(o.type)) byType.set(o.type, []);
      byType.get(o.type).push(i);
    });
    const types = Array.from(byType.keys()).sort((a, b) => byType.get(b).length - byType.get(a).length || (a < b ? -1 : 1));
    const hr = el("tr");
    hr.appendChild(el("th", null, "op type"));
    hr.appendChild(el("th", null, "count"));
    targets.forEach(t => hr.appendChild(el("th", null, t.name)));
    table.appendChild(hr);
    types.forEach(ty => {
      const ids = byType.get(ty), tr = el("tr");
      tr.appendChild(el("td", "mono", ty));
      tr.appendChild(el("td", "num", String(ids.length)));
      targets.forEach(t => {
        const n = ids.filter(i => placementOf(t, i) === "npu").length;
        const cls = n === ids.length ? "all" : n === 0 ? "none" : "some";
        const td = el("td", "num cell " + cls, n + "/" + ids.length);
        td.title = t.name + ": " + n + " of " + ids.length + " " + ty + " ops on the NPU";
        tr.appendChild(td);
      });
      table.appendChild(tr);
    });
  }

  svgEl.addEventListener("click", ev => {
    if (justPanned) { justPanned = false; return; }
    if (ev.target === svgEl) selectOp(-1, false);
  });

  renderOpTypes();
  if (targets.length > 0) selectTarget(0);
  fit(false);
  window.addEventListener("resize", () => apply());
  document.body.setAttribute("data-ready", "true");
})();

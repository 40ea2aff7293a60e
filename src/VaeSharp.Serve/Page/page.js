"use strict";
// The explorer page. Everything shown comes from the JSON API of this server and is put in with textContent or
// drawn on canvases, never parsed as HTML. Each panel keeps at most one request in flight and sends the latest
// state when it returns, so a fast pointer never queues a backlog on the server.
(() => {
  const $ = id => document.getElementById(id);
  const palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  const state = { model: null, map: null, width: 28, height: 28, bounds: null, pins: [], hover: null, marker: null, sliders: [] };

  function report(message) { $("status").textContent = message; }
  window.addEventListener("error", event => report("error: " + event.message));
  window.addEventListener("unhandledrejection", event => report("error: " + (event.reason && event.reason.message || event.reason)));

  async function api(path, body) {
    const response = await fetch(path, body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const reply = await response.json();
    if (!response.ok) throw new Error(reply.error || ("HTTP " + response.status));
    return reply;
  }

  // Runs `send` for the latest value only: one call in flight, the newest value queued behind it.
  function latest(send) {
    let busy = false, pending = null, queued = false;
    return value => {
      pending = value; queued = true;
      if (busy) return;
      const next = async () => {
        busy = true;
        while (queued) {
          queued = false;
          try { await send(pending); } catch (error) { report(error.message); }
        }
        busy = false;
      };
      next();
    };
  }

  // Draws one image (values in [0, 1], or a colour function) into `canvas` at its size, nearest neighbour.
  function drawImage(canvas, values, colour) {
    const small = document.createElement("canvas");
    small.width = state.width; small.height = state.height;
    const context = small.getContext("2d");
    const pixels = context.createImageData(state.width, state.height);
    for (let i = 0; i < values.length; i++) {
      const [r, g, b] = colour ? colour(values[i], i) : grey(values[i]);
      pixels.data[4 * i] = r; pixels.data[4 * i + 1] = g; pixels.data[4 * i + 2] = b; pixels.data[4 * i + 3] = 255;
    }
    context.putImageData(pixels, 0, 0);
    const target = canvas.getContext("2d");
    target.imageSmoothingEnabled = false;
    target.drawImage(small, 0, 0, canvas.width, canvas.height);
  }
  const grey = value => { const v = Math.round(255 * Math.min(1, Math.max(0, value))); return [v, v, v]; };
  // Black through red and yellow to white: the "hot" ramp for the standard deviation.
  const hot = value => { const t = Math.min(1, Math.max(0, value)) * 3; return [255 * Math.min(1, t), 255 * Math.min(1, Math.max(0, t - 1)), 255 * Math.min(1, Math.max(0, t - 2))]; };

  // ---- latent map -------------------------------------------------------------------------------------------
  const mapCanvas = $("map"), mapContext = mapCanvas.getContext("2d");
  let mapBackground = null;

  function zAt(x, y) {
    const map = state.map, z = map.mean.slice();
    const weights = [x, y].concat(state.sliders.map(slider => Number(slider.value)));
    map.components.forEach((component, k) => { if (k < weights.length) for (let d = 0; d < z.length; d++) z[d] += weights[k] * component[d]; });
    return z;
  }
  const toPixel = (x, y) => { const b = state.bounds; return [(x - b.x0) / (b.x1 - b.x0) * mapCanvas.width, (1 - (y - b.y0) / (b.y1 - b.y0)) * mapCanvas.height]; };
  const fromPixel = (px, py) => { const b = state.bounds; return [b.x0 + px / mapCanvas.width * (b.x1 - b.x0), b.y0 + (1 - py / mapCanvas.height) * (b.y1 - b.y0)]; };

  function setBounds(points) {
    let x0 = -3, x1 = 3, y0 = -3, y1 = 3;
    if (points.length > 0) {
      const xs = points.map(p => p[0]).sort((a, b) => a - b), ys = points.map(p => p[1]).sort((a, b) => a - b);
      const pick = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
      [x0, x1, y0, y1] = [pick(xs, 0.005), pick(xs, 0.995), pick(ys, 0.005), pick(ys, 0.995)];
    }
    const pad = 0.08 * Math.max(x1 - x0, y1 - y0, 1e-3);
    state.bounds = { x0: x0 - pad, x1: x1 + pad, y0: y0 - pad, y1: y1 + pad };
  }

  function drawMapBackground() {
    const canvas = document.createElement("canvas");
    canvas.width = mapCanvas.width; canvas.height = mapCanvas.height;
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; context.fillRect(0, 0, canvas.width, canvas.height);
    context.globalAlpha = 0.6;
    state.map.points.forEach((point, i) => {
      const [px, py] = toPixel(point[0], point[1]);
      context.fillStyle = palette[(state.map.labels[i] ?? 7) % 10];
      context.fillRect(px - 1.5, py - 1.5, 3, 3);
    });
    mapBackground = canvas;
  }

  function renderMap() {
    mapContext.drawImage(mapBackground, 0, 0);
    const ring = (x, y, colour, radius) => {
      const [px, py] = toPixel(x, y);
      mapContext.strokeStyle = colour; mapContext.lineWidth = 3;
      mapContext.beginPath(); mapContext.arc(px, py, radius, 0, 2 * Math.PI); mapContext.stroke();
    };
    if (state.pins.length === 2) {
      const [a, b] = state.pins.map(pin => toPixel(pin[0], pin[1]));
      mapContext.strokeStyle = "#111"; mapContext.lineWidth = 1.5; mapContext.setLineDash([5, 4]);
      mapContext.beginPath(); mapContext.moveTo(a[0], a[1]); mapContext.lineTo(b[0], b[1]); mapContext.stroke(); mapContext.setLineDash([]);
    }
    state.pins.forEach(pin => ring(pin[0], pin[1], "#111", 6));
    if (state.marker) ring(state.marker[0], state.marker[1], "#e11d48", 9);
    if (state.hover) ring(state.hover[0], state.hover[1], "#2563eb", 4);
  }

  const decodeHover = latest(async z => {
    const reply = await api("/api/decode", { z: [z] });
    drawImage($("hover-digit"), reply.images[0]);
    const canvas = $("hover-digit");
    canvas.dataset.decodes = String(Number(canvas.dataset.decodes || 0) + 1);
    $("hover-z").textContent = "z = [" + z.map(v => v.toFixed(2)).join(", ") + "]";
  });

  const interpolate = latest(async pins => {
    const steps = 10, [a, b] = pins.map(pin => zAt(pin[0], pin[1]));
    const z = Array.from({ length: steps }, (_, s) => a.map((v, d) => v + (b[d] - v) * s / (steps - 1)));
    const reply = await api("/api/decode", { z });
    const strip = $("interpolation"), cell = strip.width / steps, one = document.createElement("canvas");
    one.width = cell; one.height = strip.height;
    reply.images.forEach((image, s) => { drawImage(one, image); strip.getContext("2d").drawImage(one, s * cell, 0); });
    $("interpolation-box").hidden = false;
  });

  function pointerOnMap(event) {
    const rect = mapCanvas.getBoundingClientRect();
    return fromPixel((event.clientX - rect.left) * mapCanvas.width / rect.width, (event.clientY - rect.top) * mapCanvas.height / rect.height);
  }
  mapCanvas.addEventListener("pointermove", event => {
    state.hover = pointerOnMap(event);
    renderMap();
    decodeHover(zAt(state.hover[0], state.hover[1]));
  });
  mapCanvas.addEventListener("click", event => {
    state.pins = state.pins.length === 2 ? [pointerOnMap(event)] : state.pins.concat([pointerOnMap(event)]);
    renderMap();
    if (state.pins.length === 2) interpolate(state.pins.slice());
  });
  $("clear-pins").addEventListener("click", () => { state.pins = []; $("interpolation-box").hidden = true; renderMap(); });

  function buildSliders() {
    const box = $("sliders");
    state.map.components.slice(2).forEach((_, k) => {
      const scale = state.map.scales[k + 2] || 1, label = document.createElement("label"), input = document.createElement("input"), name = document.createElement("span");
      name.textContent = (state.map.projection === "pca" ? "PC" : "z") + (k + 3);
      Object.assign(input, { type: "range", min: String(-3 * scale), max: String(3 * scale), step: String(scale / 50), value: "0" });
      input.addEventListener("input", () => { if (state.hover) decodeHover(zAt(state.hover[0], state.hover[1])); if (state.pins.length === 2) interpolate(state.pins.slice()); });
      label.append(name, input);
      box.append(label);
      state.sliders.push(input);
    });
  }

  function buildLegend() {
    palette.forEach((colour, digit) => { const item = document.createElement("span"); item.style.setProperty("--swatch", colour); item.textContent = String(digit); $("legend").append(item); });
  }

  // ---- brush pads -------------------------------------------------------------------------------------------
  // A pad is a width×height grid painted with a soft round brush; `paint(value, cell)` decides what a touch does.
  function pad(canvas, paint, changed, done) {
    let down = false;
    const touch = event => {
      const rect = canvas.getBoundingClientRect();
      const gx = (event.clientX - rect.left) / rect.width * state.width - 0.5, gy = (event.clientY - rect.top) / rect.height * state.height - 0.5;
      for (let y = Math.floor(gy - 2); y <= Math.ceil(gy + 2); y++)
        for (let x = Math.floor(gx - 2); x <= Math.ceil(gx + 2); x++) {
          if (x < 0 || y < 0 || x >= state.width || y >= state.height) continue;
          const distance = Math.hypot(x - gx, y - gy);
          if (distance < 1.8) paint(y * state.width + x, Math.min(1, 1.6 - distance * 0.7));
        }
      changed();
    };
    canvas.addEventListener("pointerdown", event => { down = true; canvas.setPointerCapture(event.pointerId); touch(event); });
    canvas.addEventListener("pointermove", event => { if (down) touch(event); });
    const lift = () => { if (down) { down = false; done(); } };
    canvas.addEventListener("pointerup", lift);
    canvas.addEventListener("pointercancel", lift);
  }

  // ---- draw -------------------------------------------------------------------------------------------------
  let ink = [];
  const encodeDrawing = latest(async image => {
    const encoded = await api("/api/encode", { images: [image] });
    const decoded = await api("/api/decode", { z: encoded.mu });
    drawImage($("reconstruction"), decoded.images[0]);
    $("reconstruction").dataset.drawn = String(Number($("reconstruction").dataset.drawn || 0) + 1);
    state.marker = encoded.map[0];
    mapCanvas.dataset.marker = state.marker.map(v => v.toFixed(3)).join(",");
    $("draw-z").textContent = "mu = [" + encoded.mu[0].map(v => v.toFixed(2)).join(", ") + "]";
    renderMap();
  });
  const showInk = () => drawImage($("pad"), ink);
  pad($("pad"), (i, amount) => { ink[i] = Math.max(ink[i], amount); }, () => { showInk(); encodeDrawing(ink.slice()); }, () => encodeDrawing(ink.slice()));
  $("clear-pad").addEventListener("click", () => { ink = ink.map(() => 0); showInk(); state.marker = null; renderMap(); });

  // ---- erase and impute -------------------------------------------------------------------------------------
  let target = [], kept = [];
  const showErase = () => drawImage($("erase"), target, (value, i) => kept[i] ? grey(value) : [150, 40, 60]);
  const impute = latest(async request => {
    const reply = await api("/api/impute", request);
    const box = $("draws");
    box.replaceChildren(...reply.draws.map(draw => { const canvas = document.createElement("canvas"); canvas.width = 84; canvas.height = 84; drawImage(canvas, draw); return canvas; }));
    const peak = Math.max(1e-6, ...reply.std);
    drawImage($("std"), reply.std, value => hot(value / peak));
    box.dataset.draws = String(reply.draws.length);
  });
  const requestImpute = () => impute({ image: target.slice(), mask: kept.slice(), samples: Number($("samples").value), seed: Math.floor(Math.random() * 1e9) });
  function setTarget(image) { target = image.slice(); kept = target.map(() => 1); showErase(); requestImpute(); }
  function setUpImpute() {
    pad($("erase"), i => { kept[i] = 0; }, showErase, requestImpute);
    $("use-drawn").addEventListener("click", () => setTarget(ink));
    $("load-digit").addEventListener("click", async () => {
      const index = Math.max(0, Math.min(state.model.points - 1, Math.floor(Number($("digit-index").value) || 0)));
      setTarget((await api("/api/digit?index=" + index)).image);
    });
    $("clear-mask").addEventListener("click", () => { kept = kept.map(() => 1); showErase(); requestImpute(); });
    $("samples").addEventListener("input", () => { $("samples-value").textContent = $("samples").value; requestImpute(); });
    $("digit-index").max = String(Math.max(0, state.model.points - 1));
    if (state.model.points > 0) $("load-digit").click(); else setTarget(target);
  }

  // ---- generate ---------------------------------------------------------------------------------------------
  $("generate").addEventListener("click", async () => {
    const seed = Math.floor(Math.random() * 1e9), columns = 8, grid = $("samples-grid"), cell = grid.width / columns;
    const reply = await api("/api/generate", { count: columns * columns, seed });
    const one = document.createElement("canvas");
    one.width = cell; one.height = cell;
    reply.images.forEach((image, i) => { drawImage(one, image); grid.getContext("2d").drawImage(one, (i % columns) * cell, Math.floor(i / columns) * cell); });
    grid.dataset.count = String(reply.images.length);
    $("generate-seed").textContent = "seed " + seed;
  });

  // ---- side panel -------------------------------------------------------------------------------------------
  function rows(table, entries) {
    table.replaceChildren(...entries.map(cells => { const row = document.createElement("tr"); cells.forEach(text => { const cell = document.createElement("td"); cell.textContent = String(text); row.append(cell); }); return row; }));
  }
  function describeModel(model) {
    $("model-name").textContent = model.name;
    rows($("model-facts"), [["name", model.name], ["input", model.input_shape.join("×")], ["latent", model.latent], ["masked", model.masked],
      ["conditional", model.conditional], ["parameters", model.parameters.toLocaleString("en")], ["map points", model.points], ["inference workers", model.workers]]);
    rows($("layers"), model.layers.map(layer => [layer.name + " " + layer.layer, layer.output, layer.parameters.toLocaleString("en")]));
    const metrics = model.eval && typeof model.eval === "object" ? Object.entries(model.eval).filter(([name]) => name !== "model_sha256") : [];
    $("eval-missing").hidden = metrics.length > 0;
    rows($("eval"), metrics.map(([name, value]) => [name, typeof value === "number" && !Number.isInteger(value) ? value.toFixed(4) : (typeof value === "object" ? JSON.stringify(value) : value)]));
  }

  async function start() {
    state.model = await api("/api/model");
    const shape = state.model.input_shape;
    [state.height, state.width] = shape.length >= 2 ? [shape[0], shape[1]] : [1, shape[0]];
    const size = state.width * state.height;
    ink = new Array(size).fill(0); target = new Array(size).fill(0); kept = new Array(size).fill(1);
    describeModel(state.model);
    state.map = await api("/api/latent?max=10000");
    if (state.map.points.length === 0) $("map-hint").textContent = "No digits were loaded (fetch MNIST with `vae data fetch`), so the map has no points; it still decodes wherever the pointer goes.";
    setBounds(state.map.points);
    buildLegend(); buildSliders(); drawMapBackground(); renderMap(); showInk();
    if (state.model.masked) { $("impute-body").hidden = false; setUpImpute(); } else $("impute-unavailable").hidden = false;
    $("generate").click();
    document.body.dataset.ready = "1";
  }
  start().catch(error => report(error.message));
})();

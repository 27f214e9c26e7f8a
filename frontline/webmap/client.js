/* Frontline's map client: the data travels once, a date change sends only what changed.
 *
 * Loaded once when the map component mounts (a file the app serves from static/, cached by
 * the browser). The base map calls FL.basemap(); each rerun's feature groups call
 * FL.territory() and FL.events() with the date's state: a label string (one character per
 * territory atom), the highlight window and a filter mask. The files they name are fetched
 * once per page and decoded once; a date change only rebuilds the drawn layers from them.
 * Text in the files is already escaped HTML (frontline.safety.html_text on the server).
 */
(function () {
  "use strict";
  var FL = window.FL = window.FL || {};
  var files = {}, decoded = {}, markers = {};
  FL.stats = {fetches: 0, territory: 0, events: 0, errors: [], ms: {}};

  function report(err) {
    FL.stats.errors.push(String(err));
    if (window.console) console.error("Frontline map:", err);
  }

  /* One fetch per file and page: a promise of its JSON. */
  FL.fetch = function (url) {
    if (!files[url]) {
      FL.stats.fetches += 1;
      files[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": HTTP " + r.status);
        return r.json();
      });
    }
    return files[url];
  };

  /* [lat0, lon0, dlat, dlon, ...] integers -> [[lat, lon], ...] */
  function line(a, scale) {
    var out = new Array(a.length / 2), lat = 0, lon = 0;
    for (var i = 0, j = 0; i < a.length; i += 2, j++) {
      lat += a[i]; lon += a[i + 1];
      out[j] = [lat / scale, lon / scale];
    }
    return out;
  }

  function territoryData(url) {
    return FL.fetch(url).then(function (d) {
      if (!decoded[url]) {
        var s = d.scale;
        decoded[url] = {
          atoms: d.atoms.map(function (polys) {
            return polys.map(function (rings) { return rings.map(function (r) { return line(r, s); }); });
          }),
          edges: d.edges.map(function (e) { return {a: e[0], b: e[1], line: line(e[2], s)}; })
        };
      }
      return decoded[url];
    });
  }

  /* An atom's label letter -> 4 * class + 2 * inferred + contested (frontline.history.atoms.ALPHABET: A-Z, a-f). */
  function labelCode(s, i) { var c = s.charCodeAt(i); return c < 97 ? c - 65 : c - 71; }

  function tip(layer, html) { if (html) layer.bindTooltip(html, {sticky: true}); return layer; }

  /* The zones of one date. st: {url, labels, zones: [{c, style, tip}], inferred: {style, tips: {c: html}},
     contested: {style, tip}, smooth} */
  function drawTerritory(group, d, st) {
    var n = d.atoms.length, cls = new Int16Array(n), inf = new Uint8Array(n), con = new Uint8Array(n);
    if (st.labels.length !== n) throw new Error("territory labels do not match the atoms file");
    for (var i = 0; i < n; i++) {
      var k = labelCode(st.labels, i);
      cls[i] = k >> 2; inf[i] = (k >> 1) & 1; con[i] = k & 1;
    }
    function polys(test) {
      var out = [];
      for (var i = 0; i < n; i++) if (test(i)) Array.prototype.push.apply(out, d.atoms[i]);
      return out;
    }
    function border(side) {  // edges with the zone on exactly one side
      var out = [];
      d.edges.forEach(function (e) {
        var a = side(e.a), b = e.b >= 0 ? side(e.b) : false;
        if (a !== b) out.push(e.line);
      });
      return out;
    }
    var smooth = st.smooth;
    st.zones.forEach(function (z) {
      var p = polys(function (i) { return cls[i] === z.c; });
      if (!p.length) return;
      var zone = tip(L.polygon(p, Object.assign({}, z.style, {stroke: false, smoothFactor: smooth})), z.tip).addTo(group);
      zone.flZone = z.k + ":" + z.a;
      var b = border(function (i) { return cls[i] === z.c; });
      if (b.length) L.polyline(b, Object.assign({}, z.style, {fill: false, interactive: false, smoothFactor: smooth})).addTo(group);
    });
    Object.keys(st.inferred.tips).forEach(function (c) {
      var ci = +c, p = polys(function (i) { return inf[i] && cls[i] === ci; });
      if (p.length) tip(L.polygon(p, Object.assign({}, st.inferred.style, {smoothFactor: smooth})), st.inferred.tips[c]).addTo(group);
    });
    var cp = polys(function (i) { return con[i] === 1; });
    if (cp.length) {
      tip(L.polygon(cp, Object.assign({}, st.contested.style, {stroke: false, smoothFactor: smooth})), st.contested.tip)
        .addTo(group).flZone = "CONTESTED:" + st.contested.a;
      var cb = border(function (i) { return con[i] === 1; });
      if (cb.length) L.polyline(cb, Object.assign({}, st.contested.style, {fill: false, interactive: false, smoothFactor: smooth})).addTo(group);
    }
    if (st.before) drawChanged(group, d, st, cls, smooth);
    FL.stats.territory += 1;
  }

  /* Compare mode: the atoms whose holder differs from st.before's, hatched in the colour of the side that took
     them (grey: land no side holds any more). */
  var patterns = {};
  function hatch(color) {
    if (!patterns[color]) {
      var c = document.createElement("canvas");
      c.width = c.height = 8;
      var x = c.getContext("2d");
      x.strokeStyle = color; x.lineWidth = 2.2; x.lineCap = "square";
      x.beginPath(); x.moveTo(0, 8); x.lineTo(8, 0); x.moveTo(-2, 2); x.lineTo(2, -2); x.moveTo(6, 10); x.lineTo(10, 6);
      x.stroke();
      patterns[color] = x.createPattern(c, "repeat");
    }
    return patterns[color];
  }

  function drawChanged(group, d, st, cls, smooth) {
    var byClass = {};
    for (var i = 0; i < cls.length; i++) {
      if ((labelCode(st.before, i) >> 2) !== cls[i]) (byClass[cls[i]] = byClass[cls[i]] || []).push(i);
    }
    Object.keys(byClass).forEach(function (c) {
      var p = [];
      byClass[c].forEach(function (i) { Array.prototype.push.apply(p, d.atoms[i]); });
      var layer = L.polygon(p, {stroke: false, fillColor: hatch(st.colors[+c] || "#777777"), fillOpacity: 0.95,
                                smoothFactor: smooth, interactive: false});
      layer.flChanged = +c;
      layer.addTo(group);
    });
  }

  /* Layers are drawn in the order the calls come (a rerun's territory under its events), whichever
     file arrives first: each call waits for the one before. */
  var queue = Promise.resolve();
  function inOrder(what, load, draw) {
    var loaded = load();
    queue = queue.then(function () { return loaded; }).then(function (d) {
      var t0 = performance.now();
      draw(d);
      FL.stats.ms[what] = (FL.stats.ms[what] || 0) + performance.now() - t0;  // building layers (not painting)
    }).catch(report);
  }

  /* A layer that outlives reruns. Each rerun hands over a new, empty feature group (the handle
     that the layer switcher lists and that st_folium removes before the next rerun); the drawn
     layers live in one group of ours that stays on the map while the newest handle is on it, so
     a date change only touches what changed and the map is not redrawn from scratch. */
  var live = {};
  function attach(kind, handle) {
    var s = live[kind] || (live[kind] = {group: L.layerGroup(), handle: null, key: null, map: null});
    s.handle = handle;
    handle.on("add", function (e) {
      s.map = e.target._map;
      if (s.handle === handle && !s.map.hasLayer(s.group)) s.group.addTo(s.map);
    });
    handle.on("remove", function () {  // hidden, or replaced by the next rerun's handle: known after its script
      Promise.resolve().then(function () {
        if (!(s.handle && s.handle._map) && s.map) s.map.removeLayer(s.group);
      });
    });
    return s;
  }

  /* The layers of the last few states, reused when a state comes back. */
  var built = new Map(), BUILT_MAX = 64;
  var EASE_MS = 220;

  function styleOf(l) {  // the layer's own opacities, kept the first time it is seen
    if (!l.flStyle) l.flStyle = {fillOpacity: l.options.fillOpacity, opacity: l.options.opacity};
    return l.flStyle;
  }

  /* The cross-fade of Play's "Ease": the new state's layers from transparent to their own opacities, the old
     state's the other way, in FADE_STEPS steps over EASE_MS. A few steps, not one per animation frame: each step
     redraws the map's canvas, and redrawing it every frame kept the page too busy to take the next date in time. */
  var FADE_STEPS = 4, fades = 0;
  function crossFade(incoming, outgoing, done) {
    var id = ++fades;
    FL.stats.fades = fades;
    incoming.concat(outgoing).forEach(function (l) { l.flFade = id; });  // a later fade of a layer takes it over
    function set(layers, f) {
      layers.forEach(function (l) {
        if (l.flFade !== id) return;
        var s0 = styleOf(l);
        l.setStyle({fillOpacity: s0.fillOpacity * f, opacity: s0.opacity * f});
      });
    }
    function step(k) {
      var f = k / FADE_STEPS;
      set(incoming, f);
      set(outgoing, 1 - f);
      if (k < FADE_STEPS) setTimeout(function () { step(k + 1); }, EASE_MS / FADE_STEPS);
      else done(outgoing.filter(function (l) { return l.flFade === id; }));
    }
    step(1);
  }

  FL.territory = function (handle, st) {
    var s = attach("territory", handle), key = JSON.stringify(st.labels) + JSON.stringify(st.zones) + st.url + (st.before || "");
    inOrder("territory", function () { return territoryData(st.url); }, function (d) {
      if (s.key === key) { FL.stats.territory += 1; return; }  // the same state as shown: nothing to do
      var layers = built.get(key);
      if (layers) {
        built.delete(key);  // most recently used last
        FL.stats.territory += 1;
      } else {
        var into = L.layerGroup();
        drawTerritory(into, d, st);
        layers = into.getLayers();
      }
      var old = s.group.getLayers(), ease = st.ease && old.length && s.group._map;
      if (!ease) s.group.clearLayers();
      layers.forEach(function (l) {
        var s0 = styleOf(l);
        l.flFade = 0;  // stops any fade still running on it
        l.setStyle(ease ? {fillOpacity: 0, opacity: 0} : s0);
        s.group.addLayer(l);
      });
      // under everything else drawn on the map's canvas (the events), in their own order
      if (s.group._map) for (var i = layers.length - 1; i >= 0; i--) if (layers[i]._renderer) layers[i].bringToBack();
      if (ease) {  // cross-fade: the new state in, the old one out, then the old one off the map
        crossFade(layers, old.filter(function (l) { return layers.indexOf(l) < 0; }), function (faded) {
          faded.forEach(function (l) { s.group.removeLayer(l); });
        });
      }
      s.key = key;
      built.set(key, layers);
      if (built.size > BUILT_MAX) built.delete(built.keys().next().value);
    });
  };

  /* Which events a filter mask keeps: null = all, else base64 of one bit per event (most significant first). */
  function maskTest(mask) {
    if (mask === null || mask === undefined) return function () { return true; };
    var bytes = atob(mask);
    return function (i) { return (bytes.charCodeAt(i >> 3) >> (7 - (i & 7))) & 1; };
  }

  function aggregate(rows, idx, older, group, gridDeg) {
    var cells = {};
    idx.forEach(function (i) {
      var r = rows[i], key = Math.floor(r[0] / gridDeg) + ":" + Math.floor(r[1] / gridDeg);
      var c = cells[key] || (cells[key] = [0, 0, 0]);
      c[0] += r[0]; c[1] += r[1]; c[2] += 1;
    });
    Object.keys(cells).forEach(function (key) {
      var c = cells[key], n = c[2];
      L.circleMarker([c[0] / n, c[1] / n], {radius: Math.min(4 + 3 * Math.log(1 + n), 22), color: "#333", weight: 1,
        fillColor: "#777", fillOpacity: older ? 0.2 : 0.45, opacity: older ? 0.35 : 0.8})
        .bindTooltip(n + (older ? " older" : " recent") + " events (zoom in or narrow the filters)").addTo(group);
    });
  }

  /* A marker's popup, fetched with its file of popups the first time: every event shown at the same point
     (stacked markers), newest first, so none is out of reach. */
  function popupHtml(d, i, m) {
    var r = d.rows[i], e = live.events, same = [];
    if (e && e.shown) e.shown.forEach(function (_, j) { var q = d.rows[j]; if (q[0] === r[0] && q[1] === r[1]) same.push(j); });
    if (same.indexOf(i) < 0) same.push(i);
    same.sort(function (a, b) { return b - a; });  // rows are sorted by day: newest first
    Promise.all(same.map(function (j) {
      return FL.fetch(d.popups[Math.floor(j / d.chunk)]).then(function (chunk) { return chunk[j % d.chunk]; });
    })).then(function (html) {
      var place = d.place_ids ? d.place_ids[r[4]] : null;
      m.setPopupContent((html.length > 1 ? '<div class="fl-stack">' + html.length + " events here, newest first</div>" +
                         html.join('<hr class="fl-sep">') : html[0]) +
                        (place ? '<button type="button" class="fl-hist">History of ' + d.places[r[4]] + "</button>" : ""));
      var box = m.getPopup() && m.getPopup().getElement(), button = box && box.querySelector(".fl-hist");
      if (button) L.DomEvent.on(button, "click", function (e) { L.DomEvent.stop(e); FL.pickPlace(place); });
    }).catch(report);
  }

  /* Messages to the app ride on the map component's value. The component also sends that value when the map
     moves (its view), which would drop them: for a few seconds every value sent carries them too (each has its
     own counter, so the app acts on it once). A value equal to the last one sent is not sent again: the component
     re-sends its value after some redraws (while playing, ~0.2 s after each report), and each copy cost the app
     a rerun that held up the next frame. */
  var extras = {}, lastSent = null;
  function tell(fields, keepMs) {
    var S = window.Streamlit;
    if (!S) return;
    if (!S.__flWrapped) {
      var send = S.setComponentValue;
      S.setComponentValue = function (v) {
        var now = performance.now(), out = Object.assign({}, v);
        Object.keys(extras).forEach(function (k) { if (extras[k].until > now) out[k] = extras[k].value; else delete extras[k]; });
        var text = JSON.stringify(out);
        if (text === lastSent) { FL.stats.duplicates = (FL.stats.duplicates || 0) + 1; return; }
        lastSent = text;
        return send.call(S, out);
      };
      S.__flWrapped = true;
    }
    var until = performance.now() + keepMs;
    Object.keys(fields).forEach(function (k) { extras[k] = {value: fields[k], until: until}; });
    var g = window.__GLOBAL_DATA__, value = Object.assign({}, (g && g.previous_data) || {}, fields);
    if (g) g.previous_data = value;
    S.setComponentValue(value);
  }

  /* Show a place's history on the page (a new counter each time). */
  var picks = 0;
  FL.pickPlace = function (placeId) { tell({place: placeId, pick: ++picks}, 3000); };

  function date(day) { return new Date(day * 86400000).toISOString().slice(0, 10); }

  /* The events up to a date. st: {url, day, window, older, mask, max, grid}. Only markers that appear,
     disappear or change age are touched. */
  function drawEvents(s, d, st) {
    var rows = d.rows, keep = maskTest(st.mask), cache = markers[st.url] || (markers[st.url] = []);
    var recent = [], older = [], from = st.day - st.window + 1;
    for (var i = 0; i < rows.length; i++) {
      var day = rows[i][3];
      if (day > st.day) break;  // rows are sorted by day
      if (!keep(i)) continue;
      if (day >= from) recent.push(i); else if (st.older) older.push(i);
    }
    function marker(i) {
      var r = rows[i], m = L.circleMarker([r[0], r[1]]);
      m.flEvent = i;
      m.bindPopup("Loading\u2026", {maxWidth: 340, maxHeight: 380}).bindTooltip(date(r[3]) + " " + d.places[r[4]] + ": " + d.labels[r[2]]);
      m.on("popupopen", function () { popupHtml(d, i, m); });
      return m;
    }
    if (s.url !== st.url) { s.group.clearLayers(); s.shown = new Map(); s.url = st.url; }
    (s.aggregates || []).forEach(function (l) { s.group.removeLayer(l); });
    var agg = L.layerGroup(), next = new Map();
    function pick(idx, isOlder) {
      var cut = Math.max(idx.length - st.max, 0);  // beyond max, the oldest are grouped per grid cell
      if (cut) aggregate(rows, idx.slice(0, cut), isOlder, agg, st.grid);
      for (var k = cut; k < idx.length; k++) next.set(idx[k], isOlder);
    }
    pick(older, true);
    pick(recent, false);
    s.shown.forEach(function (isOlder, i) { if (!next.has(i)) s.group.removeLayer(cache[i]); });
    s.aggregates = agg.getLayers();
    s.aggregates.forEach(function (l) { s.group.addLayer(l); });
    next.forEach(function (isOlder, i) {
      var was = s.shown.get(i), m = cache[i] || (cache[i] = marker(i));
      if (was === isOlder) return;  // shown already, same age
      m.setStyle(Object.assign({fillOpacity: 0.9, opacity: 1}, d.styles[rows[i][2]], isOlder ? d.older : {}));
      if (was === undefined) s.group.addLayer(m);
    });
    s.shown = next;
    if (d.popups.length <= 2 && !d.prefetched) { d.prefetched = true; d.popups.forEach(FL.fetch); }
    FL.stats.events += 1;
    if (!FL.stats.firstDrawnMs) FL.stats.firstDrawnMs = performance.now();  // the first date's layers, since the frame opened
  }

  function stamp(s) {  // the date label, written when the date's layers are drawn
    var el = s && document.getElementById(s.id);
    if (el) { el.textContent = s.text; el.setAttribute("data-date", s.iso); }
  }

  /* Play: once a frame is drawn, tell the app (the map component's value) so that it sends the next one, no
     sooner than st.play.tick_ms after the last: every date is drawn, none skipped, whatever the link. */
  var lastAck = 0, acks = 0;
  function ackPlay(st) {
    if (!st.play) return;
    var wait = Math.max(0, st.play.tick_ms - (performance.now() - lastAck));
    setTimeout(function () {
      lastAck = performance.now();
      tell({drawn: st.stamp.iso, ack: ++acks}, 1000);
    }, wait);
  }

  FL.events = function (handle, st) {
    var s = attach("events", handle);
    s.shown = s.shown || new Map();
    inOrder("events", function () { return FL.fetch(st.url).catch(function (e) { stamp(st.stamp); throw e; }); },
            function (d) { drawEvents(s, d, st); stamp(st.stamp); ackPlay(st); });
  };

  /* Imported events (frontline.webmap.overlay.overlay_call): st = {kind, total, style, points: [[lat, lon, isis, tip]],
     cells: [[lat, lon, n, isis]]}. Replaced as a whole on each date (it is small: at most a few hundred of each). */
  FL.overlay = function (handle, st) {
    var s = attach("overlay", handle), S = st.style;
    s.group.clearLayers();
    if (st.kind === "heat" && L.heatLayer) {
      var max = 1, pts = st.points.map(function (p) { return [p[0], p[1], 1]; });
      st.cells.forEach(function (c) { if (c[2] > max) max = c[2]; });
      st.cells.forEach(function (c) { pts.push([c[0], c[1], c[2] / max]); });
      s.group.addLayer(L.heatLayer(pts, {radius: S.heat_radius, blur: S.heat_blur, minOpacity: 0.3}));
    } else {
      st.points.forEach(function (p) {
        s.group.addLayer(L.circleMarker([p[0], p[1]], {radius: S.radius, color: p[2] ? S.isis : S.other, weight: 1,
          fillOpacity: 0.75}).bindTooltip(p[3]));
      });
      st.cells.forEach(function (c) {
        s.group.addLayer(L.circleMarker([c[0], c[1]], {radius: Math.min(5 + 3 * Math.log(c[2]), 24), color: "#222",
          weight: 1, fillColor: c[3] * 2 >= c[2] ? S.isis : S.other, fillOpacity: 0.55})
          .bindTooltip(c[2].toLocaleString("en") + " imported events (" + c[3].toLocaleString("en") +
                       " with ISIS as a party); zoom in to see them one by one"));
      });
    }
    s.total = st.total;
  };

  /* st_folium adds every new feature group to the map, so a layer the user switched off would come back
     at the next date: remember the layer switcher's clicks (by layer name) and take those layers off again
     before the switcher is rebuilt (it then shows them unticked). */
  var hidden = {}, watching = false;
  // The view a shared link asks for (?lat=&lon=&zoom=), applied once when the map mounts: the base map's
  // script is the same for everyone, and streamlit-folium applies a center/zoom only from its second render.
  FL.initialView = function (m, lat, lng, zoom) {
    if (m._flInitialView) return;
    m._flInitialView = true;
    m.setView([lat, lng], zoom, { animate: false });
  };

  FL.keepHidden = function (m, names, groups) {
    if (!watching) {
      watching = true;
      // only the user's clicks count: the component also removes the old layers when it swaps them
      var clicked = function () { return window.layer_control && window.layer_control._handlingClick; };
      m.on("overlayadd", function (e) { if (clicked()) delete hidden[e.name]; });
      m.on("overlayremove", function (e) { if (clicked()) hidden[e.name] = true; });
    }
    names.forEach(function (name, i) { if (hidden[name]) m.removeLayer(groups[i]); });
  };

  /* The figures beside the map (frontline.webmap.panel: escaped HTML), written into an <aside> of the frame. A date
     move changes a few DOM nodes here instead of a Streamlit element on the page. */
  FL.panel = function (html) {  // the map's room for it is in the frame's header (panel.FRAME_LAYOUT_CSS)
    var el = document.getElementById("fl-panel");
    if (!el) {
      el = document.createElement("aside");
      el.id = "fl-panel";
      el.tabIndex = 0;  // focusable, so a keyboard can scroll it
      el.setAttribute("aria-label", "Figures on the map's date");
      document.body.appendChild(el);
    }
    if (el.flHtml !== html) { el.innerHTML = html; el.flHtml = html; }
    FL.stats.panel = (FL.stats.panel || 0) + 1;
  };

  /* A full-screen button (the browser's Fullscreen API; no plugin to load). */
  FL.fullscreen = function (m) {
    var c = L.control({position: "topleft"});
    c.onAdd = function () {
      var bar = L.DomUtil.create("div", "leaflet-bar"), a = L.DomUtil.create("a", "fl-fullscreen", bar);
      a.href = "#"; a.title = "Full screen"; a.setAttribute("role", "button"); a.setAttribute("aria-label", "Full screen");
      a.innerHTML = '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5"' +
        ' fill="none" stroke="#222" stroke-width="2"/></svg>';
      L.DomEvent.on(a, "click", function (e) {
        L.DomEvent.preventDefault(e);
        var el = m.getContainer();
        if (document.fullscreenElement) document.exitFullscreen();
        else if (el.requestFullscreen) el.requestFullscreen();
      });
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    };
    c.addTo(m);
    document.addEventListener("fullscreenchange", function () { m.invalidateSize(); });
  };

  /* What the map shows now, for tests and tools: the zones ("controller:area") and the event markers. */
  FL.drawn = function () {
    var out = {polygons: [], markers: 0, events: [], overlay: 0, changed: []}, t = live.territory, e = live.events,
      o = live.overlay;
    if (o && o.group._map) out.overlay = o.group.getLayers().length;
    if (t && t.group._map) t.group.eachLayer(function (l) {
      if (l.flZone) out.polygons.push(l.flZone);
      if (l.flChanged !== undefined) out.changed.push(l.flChanged);
    });
    if (e && e.group._map) e.group.eachLayer(function (l) {
      out.markers += 1;
      if (l.flEvent !== undefined) out.events.push(l.flEvent);
    });
    return out;
  };

  /* Open the popup of the first shown event whose popup holds `text`; a promise of
     {text, lat, lon} (the popup's text as shown), or null when no shown event has it. */
  FL.openEvent = function (text) {
    var e = live.events;
    if (!e || !e.group._map || !e.url) return Promise.resolve(null);
    return FL.fetch(e.url).then(function (d) {
      var shown = [];
      e.group.eachLayer(function (l) { if (l.flEvent !== undefined) shown.push(l); });
      var chunks = {};
      shown.forEach(function (l) { chunks[Math.floor(l.flEvent / d.chunk)] = true; });
      return Promise.all(Object.keys(chunks).map(function (c) { return FL.fetch(d.popups[c]); })).then(function () {
        return Promise.all(shown.map(function (l) {
          return FL.fetch(d.popups[Math.floor(l.flEvent / d.chunk)]).then(function (chunk) { return [l, chunk[l.flEvent % d.chunk]]; });
        }));
      }).then(function (pairs) {
        var hit = pairs.filter(function (p) { return p[1].indexOf(text) >= 0; })[0];
        if (!hit) return null;
        var m = hit[0];
        m.setPopupContent(hit[1]);
        m.openPopup();
        var ll = m.getLatLng(), box = document.querySelector(".leaflet-popup-content");
        return {text: box ? box.textContent : "", lat: ll.lat, lon: ll.lng};
      });
    });
  };

  /* The bundled vector basemap and the city names. targets: {countries, governorates, water, labels} (layer groups) */
  FL.basemap = function (url, targets, opts) {
    FL.fetch(url).then(function (d) {
      var S = d.styles, focus = d.focus;
      L.geoJSON(d.countries, {pane: opts.pane, interactive: false, attribution: opts.attribution,
        style: function (f) { return focus.indexOf(f.properties.adm0_a3) >= 0 ? S.focus_country : S.country; }})
        .addTo(targets.countries);
      L.geoJSON(d.governorates, {pane: opts.pane, interactive: false, style: function () { return S.governorate; }})
        .addTo(targets.governorates);
      [["lakes", "lake"], ["rivers", "river"], ["khabur", "river"]].forEach(function (p) {
        L.geoJSON(d[p[0]], {pane: opts.pane, interactive: false, style: function () { return S[p[1]]; }}).addTo(targets.water);
      });
      d.cities.forEach(function (c) {
        L.marker([c[0], c[1]], {pane: opts.labelPane, interactive: false, keyboard: false,
          icon: L.divIcon({className: "fl-city", html: c[2], iconSize: null, iconAnchor: [-4, 6]})}).addTo(targets.labels);
      });
      if (targets.labels._map) flDeclutter(targets.labels._map, targets.labels);  // declutter.js, published with this file
      FL.stats.basemap = true;
      FL.stats.basemapMs = performance.now();  // drawn, since the frame opened
    }).catch(report);
  };
})();

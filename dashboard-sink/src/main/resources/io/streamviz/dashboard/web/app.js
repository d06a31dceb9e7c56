/*
 * StreamViz dashboard page. Connects to /ws, builds one card per widget from the first snapshot
 * and applies the updates that follow (protocol: see DashboardServer). Every piece of data is
 * written as text (textContent, createElement, setAttribute), never parsed as HTML.
 */
(function () {
  'use strict';

  const SVG_NS = 'http://www.w3.org/2000/svg';
  const DEFAULT_COLOR = '#4f9dff';
  const RECONNECT_MIN_MS = 500;
  const RECONNECT_MAX_MS = 15000;
  const THEMES = ['dark', 'light'];

  const root = document.documentElement;
  const query = new URLSearchParams(location.search);
  const token = query.get('token');
  const embedMatch = /^\/embed\/([A-Za-z0-9_-]+)\/?$/.exec(location.pathname);
  const embedId = embedMatch ? embedMatch[1] : null;
  const embedIndex = /^\/embed\/?$/.test(location.pathname);
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  // The server writes its default theme and staleness threshold into <html>; ?theme= wins.
  if (THEMES.includes(query.get('theme'))) {
    root.dataset.theme = query.get('theme');
  } else if (!THEMES.includes(root.dataset.theme)) {
    root.dataset.theme = 'dark';
  }
  const staleAfterMs = Number(root.dataset.staleAfterMs) > 0 ? Number(root.dataset.staleAfterMs) : 10000;
  const embedHeight = Number.parseInt(query.get('height'), 10);

  const titleEl = document.getElementById('title');
  const statusEl = document.getElementById('status');
  const bannerEl = document.getElementById('banner');
  const gridEl = document.getElementById('grid');

  /** Widget id -> view ({card, reset(state), update(entry), setMarkers(list), destroy()}). */
  let views = new Map();
  /** Restore markers, [{ts, label}], oldest first. */
  let markers = [];
  /** The dashboard spec the views were built from, as JSON, to rebuild only when it changes. */
  let builtFor = null;
  let lastSeq = -1;
  let failedAttempts = 0;

  if (embedId) {
    document.body.classList.add('embed');
    if (embedHeight >= 80 && embedHeight <= 4000) {
      document.body.classList.add('embed-fixed-height');
      document.body.style.height = embedHeight + 'px';
    }
  }

  // ---- connection ----------------------------------------------------------------------------

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let url = scheme + '//' + location.host + '/ws';
    if (token) {
      url += '?token=' + encodeURIComponent(token);
    }
    setStatus('connecting');
    const socket = new WebSocket(url);
    socket.onmessage = (event) => onMessage(JSON.parse(event.data));
    socket.onclose = () => scheduleReconnect();
  }

  function scheduleReconnect() {
    setStatus('disconnected');
    bannerEl.hidden = false;
    document.body.classList.add('offline');
    // Exponential back-off with jitter, so that viewers of a restarted server do not all
    // reconnect in the same instant.
    const base = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * Math.pow(2, failedAttempts));
    failedAttempts++;
    setTimeout(connect, base * (0.75 + Math.random() * 0.5));
  }

  function onMessage(message) {
    if (message.type === 'snapshot') {
      failedAttempts = 0;
      bannerEl.hidden = true;
      document.body.classList.remove('offline');
      setStatus('live');
      lastSeq = message.seq;
      applySnapshot(message.dashboard, message.widgets);
      setMarkers(message.markers || []);
    } else if (message.type === 'update') {
      if (message.seq <= lastSeq) {
        return;
      }
      lastSeq = message.seq;
      for (const entry of message.updates) {
        const view = views.get(entry.id);
        if (view) {
          view.update(entry);
          view.age.touch(0);
        }
      }
      if (message.markers) {
        setMarkers(message.markers);
      }
    }
  }

  function setMarkers(list) {
    markers = list;
    for (const view of views.values()) {
      view.setMarkers(markers);
    }
  }

  function setStatus(status) {
    statusEl.textContent = status;
    statusEl.className = 'status status-' + status;
  }

  // ---- layout --------------------------------------------------------------------------------

  /** A snapshot replaces all state, so a reconnect never duplicates rows or points. */
  function applySnapshot(dashboard, states) {
    if (embedIndex) {
      buildEmbedIndex(dashboard);
      return;
    }
    const spec = JSON.stringify(dashboard);
    if (spec !== builtFor) {
      build(dashboard);
      builtFor = spec;
    }
    for (const [id, view] of views) {
      const state = states[id] || {};
      view.reset(state);
      view.age.touch(state.age_ms);
    }
  }

  function build(dashboard) {
    for (const view of views.values()) {
      view.destroy();
    }
    views = new Map();
    gridEl.replaceChildren();
    titleEl.textContent = dashboard.title;
    let specs = dashboard.widgets;
    if (embedId) {
      specs = specs.filter((spec) => spec.id === embedId);
      if (specs.length === 0) {
        gridEl.append(el('p', 'empty', 'Unknown widget: ' + embedId));
      }
    }
    document.title = embedId && specs.length > 0 ? specs[0].title : dashboard.title;
    for (const spec of specs) {
      const view = createView(spec);
      view.age = ageBadge(view.card);
      view.setMarkers = view.setMarkers || (() => {});
      gridEl.append(view.card);
      views.set(spec.id, view);
    }
  }

  // ---- staleness -----------------------------------------------------------------------------

  /**
   * Shows on a card how old its value is once that is more than staleAfterMs. Ages are measured
   * on this page's monotonic clock from the age the server reported, so a viewer's wrong
   * wall clock does not matter.
   */
  function ageBadge(cardEl) {
    const badge = el('span', 'card-age');
    badge.hidden = true;
    cardEl.querySelector('.card-head').append(badge);
    let changedAt = null;
    return {
      touch(ageMs) {
        changedAt = ageMs == null ? null : performance.now() - ageMs;
        this.refresh();
      },
      refresh() {
        const age = changedAt == null ? 0 : performance.now() - changedAt;
        const stale = age > staleAfterMs;
        badge.hidden = !stale;
        cardEl.classList.toggle('card-stale', stale);
        if (stale) {
          badge.textContent = formatAge(age) + ' old';
        }
      },
    };
  }

  function formatAge(ms) {
    const seconds = Math.floor(ms / 1000);
    if (seconds < 60) {
      return seconds + ' s';
    }
    if (seconds < 3600) {
      return Math.floor(seconds / 60) + ' min';
    }
    if (seconds < 172800) {
      return Math.floor(seconds / 3600) + ' h';
    }
    return Math.floor(seconds / 86400) + ' d';
  }

  setInterval(() => {
    for (const view of views.values()) {
      view.age.refresh();
    }
  }, 1000);

  // ---- embed index ---------------------------------------------------------------------------

  /** /embed: every widget with the iframe snippet that shows it alone. */
  function buildEmbedIndex(dashboard) {
    document.body.classList.add('embed-index');
    titleEl.textContent = dashboard.title + ': embed a widget';
    document.title = titleEl.textContent;
    gridEl.replaceChildren();
    const intro = el('p', 'embed-intro',
      'Each widget below can be shown alone in an iframe. Add ?theme=light or ?theme=dark, and'
      + ' ?height=<pixels> for a frame that does not set its own height.');
    gridEl.append(intro);
    const base = location.origin + '/embed/';
    for (const spec of dashboard.widgets) {
      const item = el('section', 'card embed-item');
      item.dataset.widget = spec.id;
      const head = el('div', 'card-head');
      head.append(el('h2', 'card-title', spec.title), el('span', 'card-note', spec.type));
      const url = base + encodeURIComponent(spec.id);
      const link = el('a', 'embed-link', url);
      link.href = url;
      const snippet = '<iframe src="' + url + '" title="' + spec.title.replace(/[&"<>]/g, (c) =>
        ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c])
        + '" width="480" height="300" style="border:0"></iframe>';
      const code = el('pre', 'embed-snippet');
      code.append(el('code', null, snippet));
      item.append(head, link, code);
      gridEl.append(item);
    }
  }

  function createView(spec) {
    switch (spec.type) {
      case 'stat':
        return statView(spec);
      case 'gauge':
        return gaugeView(spec);
      case 'chart':
        return chartView(spec);
      case 'table':
        return tableView(spec);
      default:
        return unknownView(spec);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      node.setAttribute(name, String(value));
    }
    return node;
  }

  /** A card with a title row; returns the parts views fill in. */
  let headingCount = 0;

  function card(spec, wide) {
    const root = el('section', 'card card-' + spec.type + (wide ? ' card-wide' : ''));
    root.dataset.widget = spec.id;
    const head = el('div', 'card-head');
    const note = el('span', 'card-note');
    const heading = el('h2', 'card-title', spec.title);
    // Ids are generated: a widget id is data and never becomes part of the markup's ids.
    heading.id = 'widget-title-' + headingCount++;
    root.setAttribute('aria-labelledby', heading.id);
    head.append(heading, note);
    const body = el('div', 'card-body');
    const foot = el('div', 'card-foot', 'no data yet');
    root.append(head, body, foot);
    return { root, note, body, foot, heading };
  }

  /**
   * The alert line of a stat or gauge: color alone would not reach every viewer, so it also says
   * in words which threshold the value crossed.
   */
  function alertLine(spec) {
    const node = el('div', 'alert');
    node.hidden = true;
    node.setAttribute('role', 'status');
    return {
      node,
      show(cardEl, alert) {
        const threshold = alert === 'above' ? spec.alert_above : spec.alert_below;
        const known = (alert === 'above' || alert === 'below') && threshold != null;
        node.hidden = !known;
        cardEl.classList.toggle('card-alert', known);
        node.className = known ? 'alert alert-' + alert : 'alert';
        if (known) {
          const limit = fixed(threshold, spec.decimals, true) + (spec.unit ? ' ' + spec.unit : '');
          node.textContent = (alert === 'above' ? '▲ Alert: above ' : '▼ Alert: below ') + limit;
        } else {
          node.textContent = '';
        }
      },
    };
  }

  const numberFormats = new Map();

  function formatNumber(value, minDecimals, maxDecimals, grouping) {
    const key = minDecimals + ':' + maxDecimals + ':' + grouping;
    let format = numberFormats.get(key);
    if (!format) {
      format = new Intl.NumberFormat(undefined, {
        minimumFractionDigits: minDecimals,
        maximumFractionDigits: Math.max(minDecimals, maxDecimals),
        useGrouping: grouping,
      });
      numberFormats.set(key, format);
    }
    return format.format(value);
  }

  function fixed(value, decimals, grouping) {
    return formatNumber(value, decimals, decimals, grouping);
  }

  function updatedAt(ts) {
    return ts == null ? 'no data yet' : 'updated ' + new Date(ts).toLocaleTimeString();
  }

  /** The color with the given opacity, for any CSS color the canvas understands. */
  function translucent(color, alpha) {
    const context = document.createElement('canvas').getContext('2d');
    context.fillStyle = color;
    const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(context.fillStyle);
    if (!hex) {
      return context.fillStyle;
    }
    const [r, g, b] = hex.slice(1).map((h) => parseInt(h, 16));
    return 'rgba(' + r + ',' + g + ',' + b + ',' + alpha + ')';
  }

  function cssVar(name) {
    return getComputedStyle(root).getPropertyValue(name).trim();
  }

  function restartAnimation(node, className) {
    node.classList.remove(className);
    void node.offsetWidth;
    node.classList.add(className);
  }

  // ---- stat ----------------------------------------------------------------------------------

  function statView(spec) {
    const parts = card(spec, false);
    const row = el('div', 'stat-value');
    const number = el('span', 'stat-number', '–');
    if (spec.color) {
      number.style.color = spec.color;
    }
    row.append(number);
    if (spec.unit) {
      row.append(el('span', 'stat-unit', spec.unit));
    }
    const delta = el('div', 'delta');
    delta.hidden = !spec.delta;
    const alert = alertLine(spec);
    parts.body.append(row, delta, alert.node);

    function show(state) {
      alert.show(parts.root, state.alert);
      if (state.value == null) {
        number.textContent = '–';
        delta.textContent = '';
        parts.foot.textContent = updatedAt(null);
        return;
      }
      number.textContent = fixed(state.value, spec.decimals, spec.thousandsSeparators);
      if (spec.delta) {
        showDelta(delta, state.delta, spec.decimals, spec.thousandsSeparators);
      }
      parts.foot.textContent = updatedAt(state.ts);
    }

    return { card: parts.root, reset: show, update: show, destroy: () => {} };
  }

  function showDelta(node, delta, decimals, grouping) {
    if (delta == null) {
      node.textContent = '';
      node.className = 'delta';
      return;
    }
    const magnitude = fixed(Math.abs(delta), decimals, grouping);
    if (delta > 0) {
      node.textContent = '▲ +' + magnitude;
      node.className = 'delta delta-up';
    } else if (delta < 0) {
      node.textContent = '▼ −' + magnitude;
      node.className = 'delta delta-down';
    } else {
      node.textContent = '● no change';
      node.className = 'delta delta-flat';
    }
  }

  // ---- gauge ---------------------------------------------------------------------------------

  function gaugeView(spec) {
    const parts = card(spec, false);
    const cx = 100;
    const cy = 100;
    const radius = 80;
    const baseColor = spec.color || DEFAULT_COLOR;
    const range = spec.max - spec.min;

    const fraction = (value) => Math.min(1, Math.max(0, (value - spec.min) / range));
    const colorAt = (value) => {
      let color = baseColor;
      for (const threshold of spec.thresholds) {
        if (value >= threshold.from) {
          color = threshold.color;
        }
      }
      return color;
    };
    const pointAt = (f) => {
      const angle = Math.PI * (1 - f);
      return [cx + radius * Math.cos(angle), cy - radius * Math.sin(angle)];
    };
    const arc = (from, to) => {
      const [x0, y0] = pointAt(from);
      const [x1, y1] = pointAt(to);
      return 'M ' + x0 + ' ' + y0 + ' A ' + radius + ' ' + radius + ' 0 0 1 ' + x1 + ' ' + y1;
    };

    const image = svg('svg', { viewBox: '0 0 200 125', role: 'img' });
    // The track shows every zone faintly; the value arc is drawn in its zone's color.
    const bounds = [spec.min].concat(
      spec.thresholds.map((t) => t.from).filter((from) => from > spec.min && from < spec.max),
      [spec.max]);
    for (let i = 0; i < bounds.length - 1; i++) {
      image.append(svg('path', {
        d: arc(fraction(bounds[i]), fraction(bounds[i + 1])),
        class: 'gauge-track',
        stroke: colorAt(bounds[i]),
      }));
    }
    const valueArc = svg('path', { class: 'gauge-arc', d: arc(0, 0) });
    const valueText = svg('text', { x: cx, y: cy - 12, class: 'gauge-value' });
    const unitText = svg('text', { x: cx, y: cy + 8, class: 'gauge-unit' });
    unitText.textContent = spec.unit;
    const minText = svg('text', { x: cx - radius, y: cy + 20, class: 'gauge-limit' });
    minText.textContent = fixed(spec.min, spec.decimals, true);
    const maxText = svg('text', { x: cx + radius, y: cy + 20, class: 'gauge-limit' });
    maxText.textContent = fixed(spec.max, spec.decimals, true);
    image.append(valueArc, valueText, unitText, minText, maxText);
    image.setAttribute('aria-label', spec.title + ': no data yet');
    const alert = alertLine(spec);
    parts.body.append(image, alert.node);

    function show(state) {
      alert.show(parts.root, state.alert);
      if (state.value == null) {
        valueArc.setAttribute('visibility', 'hidden');
        valueText.textContent = '–';
        image.setAttribute('aria-label', spec.title + ': no data yet');
        parts.foot.textContent = updatedAt(null);
        return;
      }
      valueArc.setAttribute('visibility', 'visible');
      valueArc.setAttribute('d', arc(0, Math.max(0.002, fraction(state.value))));
      valueArc.setAttribute('stroke', colorAt(state.value));
      valueText.textContent = fixed(state.value, spec.decimals, true);
      image.setAttribute('aria-label', spec.title + ': ' + valueText.textContent
        + (spec.unit ? ' ' + spec.unit : '') + ', range ' + minText.textContent + ' to '
        + maxText.textContent + (state.alert ? ', alert ' + state.alert : ''));
      valueArc.dataset.color = colorAt(state.value);
      parts.foot.textContent = updatedAt(state.ts);
    }

    return { card: parts.root, reset: show, update: show, destroy: () => {} };
  }

  // ---- chart ---------------------------------------------------------------------------------

  function chartView(spec) {
    const parts = card(spec, true);
    parts.body.classList.add('chart-body');
    parts.body.setAttribute('role', 'img');
    parts.foot.textContent = 'last ' + spec.maxPoints + ' points · times in ' + timeZone;
    const color = spec.color || DEFAULT_COLOR;
    /** Timestamps (ms) ascending, and their values. */
    let times = [];
    let values = [];
    let chartMarkers = [];
    let plot = null;
    /** The point under the cursor, or null; the note shows it instead of the latest value. */
    let hovered = null;

    if (typeof window.uPlot !== 'function') {
      parts.body.append(el('p', 'empty', 'The chart library did not load.'));
    }

    const plotHeight = () =>
      embedId ? Math.max(80, parts.body.clientHeight) : spec.heightPx;

    const valueText = (value) =>
      formatNumber(value, 0, 2, true) + (spec.unit ? ' ' + spec.unit : '');

    const timeText = (ts) =>
      new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

    /** Draws each marker in range as a dashed vertical line with its label, on the canvas. */
    function markerPlugin() {
      return {
        hooks: {
          draw: (u) => {
            const { ctx } = u;
            const { left, top, width, height } = u.bbox;
            const [min, max] = [u.scales.x.min, u.scales.x.max];
            const markerColor = cssVar('--marker');
            ctx.save();
            ctx.font = Math.round(11 * devicePixelRatio) + 'px system-ui, sans-serif';
            ctx.textBaseline = 'top';
            for (const marker of chartMarkers) {
              const x = marker.ts / 1000;
              if (min == null || x < min || x > max) {
                continue;
              }
              const px = Math.round(u.valToPos(x, 'x', true)) + 0.5;
              ctx.strokeStyle = markerColor;
              ctx.lineWidth = devicePixelRatio;
              ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
              ctx.beginPath();
              ctx.moveTo(px, top);
              ctx.lineTo(px, top + height);
              ctx.stroke();
              const label = marker.label;
              const textWidth = ctx.measureText(label).width;
              const pad = 4 * devicePixelRatio;
              // Labels near the right edge go to the left of their line.
              const tx = px + pad + textWidth > left + width ? px - pad - textWidth : px + pad;
              ctx.fillStyle = markerColor;
              ctx.fillText(label, tx, top + pad);
            }
            ctx.restore();
          },
        },
      };
    }

    function createPlot(width) {
      // Markers only while the points are few: a lone minute is otherwise invisible as a line.
      const series = {
        label: spec.title,
        stroke: color,
        width: 2,
        points: { show: (u) => u.data[0].length <= 30, size: 6, fill: color },
      };
      if (spec.style === 'area') {
        series.fill = translucent(color, 0.18);
      }
      const axisColor = cssVar('--muted');
      const gridColor = cssVar('--grid');
      const axis = {
        stroke: axisColor,
        grid: { stroke: gridColor, width: 1 },
        ticks: { stroke: gridColor, width: 1 },
      };
      const valueAxis = Object.assign({}, axis, {
        size: 64,
        values: (u, ticks) => ticks.map((v) => formatNumber(v, 0, 2, true)),
      });
      if (spec.unit) {
        valueAxis.label = spec.unit;
        valueAxis.labelSize = 18;
        valueAxis.size = 56;
      }
      plot = new window.uPlot({
        width: width,
        height: plotHeight(),
        legend: { show: false },
        cursor: { y: false, points: { size: 8, fill: color } },
        plugins: [markerPlugin()],
        hooks: {
          setCursor: [(u) => {
            const idx = u.cursor.idx;
            hovered = idx == null || idx >= times.length ? null : idx;
            showNote();
          }],
        },
        scales: {
          // At least ten minutes wide, so a chart with a point or two keeps a readable time axis.
          x: {
            time: true,
            range: (u, min, max) => {
              const minSpan = 600;
              if (min == null) {
                return [min, max];
              }
              // uPlot widens a lone point's time range by 86,400 of its units, which for
              // seconds is 1,000 days: a single point gets the same ten minutes as two.
              if (times.length === 1) {
                max = min;
              }
              if (max - min >= minSpan) {
                return [min, max];
              }
              return [max - minSpan + 30, max + 30];
            },
          },
          // Counts and money: zero stays on the axis so that bars of the past compare honestly.
          y: { range: (u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
        },
        series: [{}, series],
        axes: [axis, valueAxis],
      }, data(), parts.body);
    }

    function data() {
      return [times.map((t) => t / 1000), values];
    }

    function showNote() {
      const last = values.length - 1;
      if (hovered != null) {
        parts.note.textContent = timeText(times[hovered]) + ' · ' + valueText(values[hovered]);
        parts.note.classList.add('card-note-hover');
        return;
      }
      parts.note.classList.remove('card-note-hover');
      parts.note.textContent = last < 0 ? '' : valueText(values[last]);
    }

    function redraw() {
      const last = values.length - 1;
      showNote();
      parts.body.setAttribute('aria-label', last < 0
        ? spec.title + ': no data yet'
        : spec.title + ': latest ' + valueText(values[last]) + ' at ' + timeText(times[last])
          + ', ' + times.length + (times.length === 1 ? ' point' : ' points'));
      if (plot) {
        plot.setData(data());
      }
    }

    function upsert(points) {
      for (const [ts, value] of points) {
        let lo = 0;
        let hi = times.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (times[mid] < ts) {
            lo = mid + 1;
          } else {
            hi = mid;
          }
        }
        if (times[lo] === ts) {
          values[lo] = value;
        } else {
          times.splice(lo, 0, ts);
          values.splice(lo, 0, value);
        }
      }
      // The same rule as the server's: beyond maxPoints the oldest points go.
      const excess = times.length - spec.maxPoints;
      if (excess > 0) {
        times = times.slice(excess);
        values = values.slice(excess);
      }
    }

    const resizer = new ResizeObserver(() => {
      const width = parts.body.clientWidth;
      if (width <= 0 || typeof window.uPlot !== 'function') {
        return;
      }
      if (!plot) {
        createPlot(width);
      } else {
        plot.setSize({ width: width, height: plotHeight() });
      }
    });
    resizer.observe(parts.body);

    return {
      card: parts.root,
      reset: (state) => {
        times = [];
        values = [];
        upsert(state.points || []);
        redraw();
      },
      update: (entry) => {
        upsert(entry.points);
        redraw();
      },
      setMarkers: (list) => {
        chartMarkers = list;
        if (plot) {
          plot.redraw(false);
        }
      },
      destroy: () => {
        resizer.disconnect();
        if (plot) {
          plot.destroy();
        }
      },
    };
  }

  // ---- table ---------------------------------------------------------------------------------

  function tableView(spec) {
    const parts = card(spec, true);
    const numeric = (column) => column.format !== 'text';
    const wrap = el('div', 'table-wrap');
    const table = el('table');
    table.setAttribute('aria-labelledby', parts.heading.id);
    /** The spec's sort until a viewer clicks a header; null for arrival order. */
    let sortBy = spec.sortBy ? { column: spec.sortBy.column, direction: spec.sortBy.direction } : null;
    const headRow = el('tr');
    const headers = spec.columns.map((column) => {
      const th = el('th', numeric(column) ? 'num' : '');
      th.setAttribute('scope', 'col');
      const button = el('button', 'sort', column.label);
      button.type = 'button';
      button.dataset.column = column.name;
      button.addEventListener('click', () => {
        // A click on the sorted column flips it; on another column sorts it, numbers biggest first.
        if (sortBy && sortBy.column === column.name) {
          sortBy.direction = sortBy.direction === 'asc' ? 'desc' : 'asc';
        } else {
          sortBy = { column: column.name, direction: numeric(column) ? 'desc' : 'asc' };
        }
        showSort();
        render();
      });
      th.append(button);
      headRow.append(th);
      return { th, button, column };
    });

    function showSort() {
      for (const { th, button, column } of headers) {
        const sorted = sortBy && sortBy.column === column.name;
        th.setAttribute('aria-sort', sorted
          ? (sortBy.direction === 'asc' ? 'ascending' : 'descending') : 'none');
        button.textContent = column.label + (sorted ? (sortBy.direction === 'asc' ? ' ▲' : ' ▼') : '');
      }
    }
    showSort();
    const head = el('thead');
    head.append(headRow);
    const body = el('tbody');
    table.append(head, body);
    wrap.append(table);
    parts.body.append(wrap);

    /** Row key -> {tr, cells, values, order}; order is the row's arrival, for stable ties. */
    const rows = new Map();
    let arrivals = 0;

    function upsert(key, values, highlight) {
      let row = rows.get(key);
      if (!row) {
        row = { tr: el('tr'), cells: [], values: {}, order: arrivals++ };
        row.tr.dataset.key = key;
        for (const column of spec.columns) {
          const cell = el(column.name === spec.keyColumn ? 'th' : 'td', numeric(column) ? 'num' : '');
          if (column.name === spec.keyColumn) {
            cell.setAttribute('scope', 'row');
          }
          row.cells.push(cell);
          row.tr.append(cell);
        }
        rows.set(key, row);
      }
      spec.columns.forEach((column, i) => {
        const value = values[column.name];
        const text = value == null ? '' : formatCell(value, column.format);
        if (row.cells[i].textContent !== text) {
          row.cells[i].textContent = text;
          if (highlight) {
            restartAnimation(row.cells[i], 'flash');
          }
        }
      });
      row.values = values;
    }

    function remove(key) {
      const row = rows.get(key);
      if (row) {
        row.tr.remove();
        rows.delete(key);
      }
    }

    function compare(a, b) {
      if (sortBy) {
        const x = a.values[sortBy.column];
        const y = b.values[sortBy.column];
        if (x == null || y == null) {
          if (x != null) {
            return -1;
          }
          if (y != null) {
            return 1;
          }
        } else {
          let order;
          if (typeof x === 'number' && typeof y === 'number') {
            order = x - y;
          } else {
            order = String(x).localeCompare(String(y));
          }
          if (order !== 0) {
            return sortBy.direction === 'asc' ? order : -order;
          }
        }
      }
      return a.order - b.order;
    }

    /** Puts the rows in order, moving the existing elements; shows at most maxRows. */
    function render() {
      const sorted = Array.from(rows.values()).sort(compare);
      sorted.forEach((row, i) => {
        row.tr.hidden = i >= spec.maxRows;
        body.append(row.tr);
      });
      parts.note.textContent = rows.size === 1 ? '1 row' : rows.size + ' rows';
    }

    return {
      card: parts.root,
      reset: (state) => {
        rows.clear();
        body.replaceChildren();
        arrivals = 0;
        for (const [key, values] of Object.entries(state.rows || {})) {
          upsert(key, values, false);
        }
        parts.foot.textContent = rows.size > 0 ? '' : 'no data yet';
        render();
      },
      update: (entry) => {
        if (entry.rows) {
          const keep = new Set(Object.keys(entry.rows));
          for (const key of Array.from(rows.keys())) {
            if (!keep.has(key)) {
              remove(key);
            }
          }
          for (const [key, values] of Object.entries(entry.rows)) {
            upsert(key, values, true);
          }
        } else {
          for (const [key, values] of Object.entries(entry.upsert || {})) {
            upsert(key, values, true);
          }
          for (const key of entry.delete || []) {
            remove(key);
          }
        }
        parts.foot.textContent = 'updated ' + new Date().toLocaleTimeString();
        render();
      },
      destroy: () => {},
    };
  }

  function formatCell(value, format) {
    if (typeof value !== 'number') {
      return String(value);
    }
    switch (format) {
      case 'integer':
        return fixed(Math.round(value), 0, true);
      case 'number':
        return formatNumber(value, 0, 6, true);
      case 'money':
        return fixed(value, 2, true);
      default:
        return String(value);
    }
  }

  function unknownView(spec) {
    const parts = card(spec, false);
    parts.body.append(el('p', 'empty', 'Unsupported widget type: ' + spec.type));
    return { card: parts.root, reset: () => {}, update: () => {}, destroy: () => {} };
  }

  connect();
})();

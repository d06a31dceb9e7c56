/*
 * StreamViz dashboard page. Connects to /ws, builds one card per widget from the first snapshot
 * and applies the updates that follow (protocol: see DashboardServer). Every piece of data is
 * written as text (textContent, createElement, setAttribute), never parsed as HTML.
 */
(function () {
  'use strict';

  const SVG_NS = 'http://www.w3.org/2000/svg';
  const DEFAULT_COLOR = '#4f9dff';
  const AXIS_COLOR = '#8a96a8';
  const GRID_COLOR = '#263042';
  const RECONNECT_MIN_MS = 500;
  const RECONNECT_MAX_MS = 15000;

  const query = new URLSearchParams(location.search);
  const token = query.get('token');
  const embedMatch = /^\/embed\/([A-Za-z0-9_-]+)\/?$/.exec(location.pathname);
  const embedId = embedMatch ? embedMatch[1] : null;

  const titleEl = document.getElementById('title');
  const statusEl = document.getElementById('status');
  const bannerEl = document.getElementById('banner');
  const gridEl = document.getElementById('grid');

  /** Widget id -> view ({card, reset(state), update(entry), destroy()}). */
  let views = new Map();
  /** The dashboard spec the views were built from, as JSON, to rebuild only when it changes. */
  let builtFor = null;
  let lastSeq = -1;
  let failedAttempts = 0;

  if (embedId) {
    document.body.classList.add('embed');
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
      setStatus('live');
      lastSeq = message.seq;
      applySnapshot(message.dashboard, message.widgets);
    } else if (message.type === 'update') {
      if (message.seq <= lastSeq) {
        return;
      }
      lastSeq = message.seq;
      for (const entry of message.updates) {
        const view = views.get(entry.id);
        if (view) {
          view.update(entry);
        }
      }
    }
  }

  function setStatus(status) {
    statusEl.textContent = status;
    statusEl.className = 'status status-' + status;
  }

  // ---- layout --------------------------------------------------------------------------------

  /** A snapshot replaces all state, so a reconnect never duplicates rows or points. */
  function applySnapshot(dashboard, states) {
    const spec = JSON.stringify(dashboard);
    if (spec !== builtFor) {
      build(dashboard);
      builtFor = spec;
    }
    for (const [id, view] of views) {
      view.reset(states[id] || {});
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
      gridEl.append(view.card);
      views.set(spec.id, view);
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
  function card(spec, wide) {
    const root = el('section', 'card card-' + spec.type + (wide ? ' card-wide' : ''));
    root.dataset.widget = spec.id;
    const head = el('div', 'card-head');
    const note = el('span', 'card-note');
    head.append(el('h2', 'card-title', spec.title), note);
    const body = el('div', 'card-body');
    const foot = el('div', 'card-foot', 'no data yet');
    root.append(head, body, foot);
    return { root, note, body, foot };
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
    parts.body.append(row, delta);

    function show(state) {
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
    parts.body.append(image);

    function show(state) {
      if (state.value == null) {
        valueArc.setAttribute('visibility', 'hidden');
        valueText.textContent = '–';
        parts.foot.textContent = updatedAt(null);
        return;
      }
      valueArc.setAttribute('visibility', 'visible');
      valueArc.setAttribute('d', arc(0, Math.max(0.002, fraction(state.value))));
      valueArc.setAttribute('stroke', colorAt(state.value));
      valueText.textContent = fixed(state.value, spec.decimals, true);
      image.setAttribute('aria-label', spec.title + ': ' + valueText.textContent + ' ' + spec.unit);
      parts.foot.textContent = updatedAt(state.ts);
    }

    return { card: parts.root, reset: show, update: show, destroy: () => {} };
  }

  // ---- chart ---------------------------------------------------------------------------------

  function chartView(spec) {
    const parts = card(spec, true);
    parts.body.classList.add('chart-body');
    parts.foot.textContent = 'last ' + spec.maxPoints + ' points';
    const color = spec.color || DEFAULT_COLOR;
    /** Timestamps (ms) ascending, and their values. */
    let times = [];
    let values = [];
    let plot = null;

    if (typeof window.uPlot !== 'function') {
      parts.body.append(el('p', 'empty', 'The chart library did not load.'));
    }

    const plotHeight = () =>
      embedId ? Math.max(80, parts.body.clientHeight) : spec.heightPx;

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
      const axis = {
        stroke: AXIS_COLOR,
        grid: { stroke: GRID_COLOR, width: 1 },
        ticks: { stroke: GRID_COLOR, width: 1 },
      };
      const valueAxis = Object.assign({}, axis, {
        size: 64,
        values: (u, ticks) => ticks.map((v) => formatNumber(v, 0, 2, true)),
      });
      if (spec.unit) {
        valueAxis.label = spec.unit;
      }
      plot = new window.uPlot({
        width: width,
        height: plotHeight(),
        legend: { show: false },
        scales: {
          // At least ten minutes wide, so a chart with a point or two keeps a readable time axis.
          x: {
            time: true,
            range: (u, min, max) => {
              const minSpan = 600;
              if (min == null || max - min >= minSpan) {
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

    function redraw() {
      const last = values.length - 1;
      parts.note.textContent = last < 0
        ? ''
        : formatNumber(values[last], 0, 2, true) + (spec.unit ? ' ' + spec.unit : '');
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
    const headRow = el('tr');
    for (const column of spec.columns) {
      let label = column.label;
      if (spec.sortBy && spec.sortBy.column === column.name) {
        label += spec.sortBy.direction === 'asc' ? ' ▲' : ' ▼';
      }
      headRow.append(el('th', numeric(column) ? 'num' : '', label));
    }
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
        for (const column of spec.columns) {
          const cell = el('td', numeric(column) ? 'num' : '');
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
      if (spec.sortBy) {
        const x = a.values[spec.sortBy.column];
        const y = b.values[spec.sortBy.column];
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
            return spec.sortBy.direction === 'asc' ? order : -order;
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

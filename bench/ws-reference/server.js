// The fan-out benchmark's reference: what a user would write with the npm ws package to broadcast
// dashboard updates. Same workload and control protocol as StreamVizFanoutServer (bench/README.md):
//   node --expose-gc server.js <widgets>
// prints "READY <port>" once listening on 127.0.0.1, then reads commands on stdin, one a line,
// and answers each with "ok <command>": "rate <updates/s>" (0 stops publishing), "gc", "quit".
'use strict';
const readline = require('readline');
const { WebSocketServer, WebSocket } = require('ws');

const widgets = Number(process.argv[2] || 100);
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });
const last = new Array(widgets).fill(null);
let rate = 0;
let published = 0;
let startedAt = 0;
let seq = 0;

// One update frame per update, shaped like a StreamViz update with one entry, serialized once and
// sent to every client: the broadcast of the ws README.
function publish(n) {
  const i = n % widgets;
  const value = n / 100;
  const entry = { id: 'w' + i, type: 'stat', value, ts: Date.now() };
  if (last[i] !== null) {
    entry.previous = last[i];
    entry.delta = Math.round((value - last[i]) * 100) / 100;
  }
  entry.alert = null;
  last[i] = value;
  const data = Buffer.from(JSON.stringify({ type: 'update', seq: ++seq, updates: [entry] }));
  for (const client of wss.clients) {
    if (client.readyState === WebSocket.OPEN) client.send(data, { binary: false });
  }
}

// Publishes what is due at the rate since it was set; a backlog of more than 100 ms is skipped,
// so a saturated loop publishes less instead of ever more at once.
setInterval(() => {
  if (rate === 0) return;
  const due = Math.floor(((Date.now() - startedAt) * rate) / 1000);
  if (due - published > rate / 10) published = due - Math.ceil(rate / 10);
  while (published < due) publish(published++);
}, 1);

const commands = readline.createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const [command, arg] = line.trim().split(/\s+/);
  if (command === 'rate') {
    rate = Number(arg);
    published = 0;
    startedAt = Date.now();
  } else if (command === 'gc') {
    global.gc();
  } else if (command === 'quit') {
    process.exit(0);
  }
  console.log('ok ' + line.trim());
});
commands.on('close', () => process.exit(0));

wss.on('listening', () => console.log('READY ' + wss.address().port));

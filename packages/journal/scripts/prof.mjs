import { MultiContextOrchestrator } from '@multi-context/core';
import { defineProvider } from '@multi-context/provider';
import { defineWorkflow } from '@multi-context/workflow';
const tasks = 10000;
const workflow = defineWorkflow({ name: 'p', phases: [{ name: 'all', executionMode: 'parallel', tasks: Array.from({ length: tasks }, (_, i) => ({ contextName: `c${i}`, prompt: `task ${i}` })) }] });
const instant = defineProvider({ id: 'instant', complete: async () => 'ok' });
const SEP = ',"\\u0000",';
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const o = new MultiContextOrchestrator({ providers: { instant } });
const run = o.run(workflow);
const evs = [];
run.events$.subscribe((e) => evs.push(e));
await run.result;
const modes = {
  perEvent: () => { const out = []; for (const e of evs) out.push(JSON.stringify(e) + '\n'); return out.join(''); },
  perEventNoJoin: () => { const out = []; for (const e of evs) out.push(JSON.stringify(e)); return out; },
  batch: () => { const arr = new Array(evs.length * 2 - 1); for (let i = 0; i < evs.length; i++) { arr[2*i] = evs[i]; if (i) arr[2*i-1] = '\u0000'; } const parts = JSON.stringify(arr).slice(1, -1).split(SEP); return parts.join('\n') + '\n'; },
  batchOnly: () => JSON.stringify(evs),
  bufferOf: (() => { const s = JSON.stringify(evs); return () => Buffer.from(s); })(),
};
const res = Object.fromEntries(Object.keys(modes).map((k) => [k, []]));
for (let r = 0; r < 15; r++) for (const [name, fn] of Object.entries(modes)) { global.gc(); const c0 = cpu(); fn(); res[name].push(cpu() - c0); }
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1].toFixed(1);
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(14), 'cpu med', med(v), 'min', Math.min(...v).toFixed(1));

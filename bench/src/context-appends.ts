// 1,000,000 appends to a full context of 50.
import { ExecutionContext } from '@multi-context/context';
import { scenario } from './scenario.js';

await scenario(async () => {
  const appends = 1_000_000;
  const once = () => {
    const context = new ExecutionContext('bench', { maxHistory: 50 });
    for (let i = 0; i < 50; i++) context.addMessage('user', `fill ${i}`);
    const t0 = performance.now();
    for (let i = 0; i < appends; i++)
      context.addMessage(i % 2 === 0 ? 'user' : 'assistant', 'message');
    const ms = performance.now() - t0;
    if (context.size !== 50) throw new Error(`size ${context.size}`);
    return ms;
  };
  once();
  const times = [once(), once(), once()].sort((a, b) => a - b);
  return { name: '1,000,000 appends to a full context of 50', ms: Math.round(times[1]! * 10) / 10 };
});

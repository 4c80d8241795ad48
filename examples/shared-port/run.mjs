// Two instances sharing one port, and one page. Stop the first (it is the hub) to watch the second
// take the port over while the page reconnects by itself: Ctrl+C stops both.
import { fork } from 'node:child_process';

const script = new URL('./instance.mjs', import.meta.url);
const first = fork(script, ['first']);
await new Promise((resolve) => setTimeout(resolve, 500)); // let the first take the port, so the roles are predictable
const second = fork(script, ['second']);
console.log('open the URL "second" prints (its pages) in a browser; then try: kill', first.pid);
process.on('SIGINT', () => {
  first.kill('SIGINT');
  second.kill('SIGINT');
  process.exit(0);
});

// file-times.mjs -- a node --test reporter that writes, for each test file,
// the milliseconds its top-level tests took and the file's path, one line
// each ("1234 /path/to/file.test.mjs").  make's test targets send it to
// build/test-logs/times-*.txt beside the TAP on the screen; scripts/test.sh
// names the slowest files from it, so a file that grows past a minute is
// seen in the run that makes it so.
export default async function* fileTimes(source) {
  const perFile = new Map();
  for await (const ev of source) {
    if ((ev.type === 'test:pass' || ev.type === 'test:fail') && ev.data.nesting === 0) {
      const file = ev.data.file ?? '(unknown file)';
      perFile.set(file, (perFile.get(file) ?? 0) + (ev.data.details?.duration_ms ?? 0));
    }
  }
  for (const [file, ms] of perFile) yield `${Math.round(ms)} ${file}\n`;
}

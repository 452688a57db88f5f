// Runs Electronegativity (Doyensec's Electron security scanner) over electron/ plus the two HTML files that
// carry our Content-Security-Policy, and fails on any finding of MEDIUM severity or higher.
// AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK is skipped: it downloads Electron's release list from GitHub,
// which CI cannot reach; keeping Electron current is done by dependency updates instead.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const electronVersion = require('electron/package.json').version;
const scanDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-electronegativity-'));
const report = path.join(scanDir, 'report.csv');
const target = path.join(scanDir, 'app');

fs.cpSync(path.join(root, 'electron'), path.join(target, 'electron'), { recursive: true });
for (const win of ['chat', 'settings']) {
  fs.mkdirSync(path.join(target, 'renderer', win), { recursive: true });
  fs.copyFileSync(path.join(root, 'renderer', win, 'index.html'), path.join(target, 'renderer', win, 'index.html'));
}
fs.copyFileSync(path.join(root, 'package.json'), path.join(target, 'package.json'));

const cli = require.resolve('@doyensec/electronegativity/dist/index.js');
try {
  execFileSync(process.execPath, [cli, '-i', target, '-e', electronVersion, '-r', '-v', 'false', '-o', report,
    '-x', 'AvailableSecurityFixesGlobalCheck'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
} catch (error) {
  if (!fs.existsSync(report)) {
    console.error(String(error.stdout ?? ''), String(error.stderr ?? ''));
    console.error('Electronegativity did not produce a report.');
    process.exit(1);
  }
}

// CSV with quoted cells that may span lines (code samples).
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cur.trim()); cur = ''; }
    else if (ch === '\n') { row.push(cur.trim()); rows.push(row); row = []; cur = ''; }
    else cur += ch;
  }
  if (cur || row.length) { row.push(cur.trim()); rows.push(row); }
  return rows;
}
const findings = parseCsv(fs.readFileSync(report, 'utf8'))
  .slice(1)
  .filter((cells) => cells.length >= 7)
  .map((cells) => ({ id: cells[0], severity: cells[1], confidence: cells[2], file: cells[3], location: cells[4], description: cells[6] }));
const blocking = findings.filter((f) => ['MEDIUM', 'HIGH', 'CRITICAL'].includes(f.severity));
for (const f of findings) {
  console.log(`${blocking.includes(f) ? 'FAIL' : 'info'}  ${f.severity}/${f.confidence}  ${f.id}  ${f.file}:${f.location}  ${f.description}`);
}
fs.rmSync(scanDir, { recursive: true, force: true });
if (blocking.length) {
  console.error(`Electronegativity: ${blocking.length} finding(s) of medium or higher severity.`);
  process.exit(1);
}
console.log(`Electronegativity: no finding of medium or higher severity (${findings.length} lower-severity note(s)).`);

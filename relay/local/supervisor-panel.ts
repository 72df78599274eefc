/**
 * The preview's supervisor panel (`npm start` → /preview/supervisor): the figures the Salesforce
 * "Dropped-call recovery" dashboard shows, over the emulator's Cases, refreshed every two seconds from
 * GET /__emulator/supervisor (relay/local/org/supervisor.ts). One self-contained page: no build, no framework.
 */
export const SUPERVISOR_PANEL_PATH = '/preview/supervisor';
export const SUPERVISOR_SUMMARY_PATH = '/__emulator/supervisor';

export const SUPERVISOR_PANEL_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Dropped-call recovery — supervisor (local preview)</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #f3f3f3; color: #181818; }
  header { background: #032d60; color: #fff; padding: 12px 20px; }
  header h1 { font-size: 18px; margin: 0; }
  header p { margin: 4px 0 0; font-size: 12px; opacity: .85; }
  main { padding: 16px 20px; display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); }
  .tile { background: #fff; border-radius: 6px; padding: 12px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.15); }
  .tile h2 { font-size: 13px; font-weight: 600; color: #444; margin: 0 0 8px; }
  .value { font-size: 30px; font-weight: 700; }
  .note { font-size: 12px; color: #666; margin-top: 4px; }
  .wide { grid-column: 1 / -1; }
  table { border-collapse: collapse; width: 100%; font-size: 14px; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e5e5e5; }
  td.n, th.n { text-align: right; }
  .bad { color: #ba0517; }
  footer { padding: 0 20px 16px; font-size: 12px; color: #666; }
</style>
</head>
<body>
<header>
  <h1>Dropped-call recovery</h1>
  <p>Supervisor view of the local org emulator — the figures of the Salesforce dashboard of the same name. <a style="color:#fff" href="/preview/">Worklist preview</a></p>
</header>
<main aria-live="polite">
  <section class="tile"><h2>Drops</h2><div class="value" data-id="drops">–</div><div class="note">callback Cases so far</div></section>
  <section class="tile"><h2>Open callbacks</h2><div class="value" data-id="open">–</div><div class="note">customers waiting</div></section>
  <section class="tile"><h2>Reach rate</h2><div class="value" data-id="reach">–</div><div class="note" data-id="reach-note">reached out of callbacks closed after calling</div></section>
  <section class="tile"><h2>Oldest waiting</h2><div class="value" data-id="oldest">–</div><div class="note" data-id="oldest-note">since the drop</div></section>
  <section class="tile"><h2>Due-by breaches</h2><div class="value" data-id="breaches">–</div><div class="note" data-id="overdue-note">not called before the due-by time</div></section>
  <section class="tile"><h2>Customer got through</h2><div class="value" data-id="auto">–</div><div class="note">closed without a call</div></section>
  <section class="tile"><h2>Repeat droppers</h2><div class="value" data-id="repeat">–</div><div class="note">callers with more than one drop</div></section>
  <section class="tile wide"><h2>By category</h2>
    <table><thead><tr><th>Category</th><th class="n">Drops</th><th class="n">Open</th></tr></thead><tbody data-id="categories"></tbody></table>
  </section>
</main>
<footer data-id="status">Loading…</footer>
<script>
  const $ = (id) => document.querySelector('[data-id="' + id + '"]');
  const waiting = (s) => s < 60 ? s + ' s' : s < 3600 ? Math.floor(s / 60) + ' min'
    : Math.floor(s / 3600) + ' h ' + String(Math.floor(s / 60) % 60).padStart(2, '0') + ' min';
  const label = (c) => c.toLowerCase().replace(/_/g, ' ').replace(/^./, (x) => x.toUpperCase());
  function render(s) {
    $('drops').textContent = s.drops;
    $('open').textContent = s.open;
    $('reach').textContent = s.reachRate === null ? '–' : Math.round(s.reachRate * 100) + '%';
    $('reach-note').textContent = s.reached + ' reached, ' + s.notReached + ' not reached';
    $('oldest').textContent = s.oldestWaiting ? waiting(s.oldestWaiting.waitingSeconds) : '–';
    $('oldest-note').textContent = s.oldestWaiting ? label(s.oldestWaiting.category) : 'nobody waiting';
    $('breaches').textContent = s.dueByBreaches;
    $('breaches').classList.toggle('bad', s.dueByBreaches > 0);
    $('overdue-note').textContent = s.overdueNow + ' open and overdue now';
    $('auto').textContent = s.autoClosed;
    $('repeat').textContent = s.repeatCallers;
    const body = $('categories');
    body.replaceChildren(...Object.entries(s.byCategory).sort(([a], [b]) => a.localeCompare(b)).map(([c, f]) => {
      const tr = document.createElement('tr');
      for (const [text, cls] of [[label(c), ''], [f.drops, 'n'], [f.open, 'n']]) {
        const td = document.createElement('td');
        td.textContent = text;
        if (cls) td.className = cls;
        tr.append(td);
      }
      return tr;
    }));
    $('status').textContent = 'As of ' + new Date(s.asOf).toLocaleTimeString() + ' · refreshes every 2 s';
  }
  async function refresh() {
    try {
      const res = await fetch('${SUPERVISOR_SUMMARY_PATH}', { cache: 'no-store' });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      render(await res.json());
    } catch (e) {
      $('status').textContent = 'The emulator is not answering (' + e.message + '); retrying…';
    }
  }
  refresh();
  setInterval(refresh, 2000);
</script>
</body>
</html>
`;

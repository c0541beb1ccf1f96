/** The report page's stylesheet: system fonts only, a single column on phones, clean pages in print. */
export const REPORT_CSS = `
:root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f5f7fa;--card:#fff;--accent:#0b6e4f;--warm:#c05621}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",Arial,sans-serif}
header.top,main,footer{max-width:1160px;margin:0 auto;padding:0 20px}
header.top{padding-top:28px}
.eyebrow{margin:0;color:var(--accent);font-weight:700;letter-spacing:.06em;text-transform:uppercase;font-size:13px}
h1{margin:4px 0 6px;font-size:30px;line-height:1.2}
h2{margin:0 0 8px;font-size:22px;line-height:1.25}
h3{margin:22px 0 6px;font-size:17px}
.muted{color:var(--muted)}
.note{color:var(--muted);font-style:italic}
.lead{font-size:18px;font-weight:600;margin:4px 0 8px}
.chip{display:inline-block;vertical-align:middle;font-size:12px;font-weight:600;color:var(--muted);border:1px solid var(--line);border-radius:999px;padding:1px 8px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px;margin:18px 0;--chars:10}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;container-type:inline-size;min-width:0}
.kpi-label{font-size:13px;color:var(--muted);font-weight:600}
.kpi-value{font-size:min(26px,calc(100cqi * 1.55 / var(--chars)));font-weight:700;line-height:1.25;font-variant-numeric:tabular-nums;white-space:nowrap}
.kpi-note{font-size:13px;color:var(--muted)}
.kpi-revenue .kpi-value{color:var(--accent)}
.kpi-top80 .kpi-value{color:var(--warm)}
nav{display:flex;flex-wrap:wrap;gap:6px 14px;margin:0 0 16px;font-size:14px}
nav a{color:var(--accent);text-decoration:none;border-bottom:1px solid transparent}
nav a:hover{border-bottom-color:var(--accent)}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:20px 22px;margin:0 0 18px}
figure{margin:12px 0}
figure svg{display:block;height:auto}
figcaption{font-size:13px;color:var(--muted);margin-top:6px;max-width:640px}
.split{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:20px;align-items:center}
.sentences{margin:0;padding-left:20px;font-size:16px}
.sentences li{margin:6px 0}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
.chart-narrow{display:none}
table{border-collapse:collapse;width:100%;font-size:14px;font-variant-numeric:tabular-nums}
th,td{padding:7px 6px;border-bottom:1px solid var(--line);text-align:start;vertical-align:top;overflow-wrap:break-word}
th{font-size:13px;color:var(--muted);font-weight:600;vertical-align:bottom;overflow-wrap:normal;hyphens:auto}
td.num,th.num{text-align:end}
td.num{white-space:nowrap}
table.dense{font-size:13px}
table.dense th{font-size:12px}
table.dense th,table.dense td{padding:6px 5px}
.id{color:var(--muted);font-size:13px;white-space:nowrap}
.name{font-weight:600}
tbody tr:last-child td{border-bottom:0}
table.tiers tbody tr:last-child td{border-top:2px solid var(--ink)}
.up{color:var(--accent)}.down{color:var(--warm)}
.warnings{border-color:#f0b429}
footer{color:var(--muted);font-size:13px;padding-bottom:32px}
bdi{unicode-bidi:isolate}
@media (max-width:640px){
  body{font-size:15px}
  header.top,main,footer{padding:0 12px}
  header.top{padding-top:18px}
  h1{font-size:24px}
  .card{padding:14px 12px;border-radius:10px}
  .kpis{grid-template-columns:repeat(2,minmax(0,1fr));gap:8px}
  .kpi{padding:10px 12px}
  .kpi-value{font-size:min(20px,calc(100cqi * 1.55 / var(--chars)))}
  .split{grid-template-columns:1fr}
  .lead{font-size:16px}
  .chart-wide{display:none}
  .chart-narrow{display:block}
  .chart-narrow svg+svg{margin-top:10px}
  .scroll table,.scroll tbody,.scroll tr,.scroll td{display:block}
  .scroll thead{display:none}
  .scroll tr{border:1px solid var(--line);border-radius:8px;padding:6px 10px;margin:0 0 8px}
  .scroll td{display:flow-root;padding:3px 0;border:0;text-align:end}
  .scroll td::before{content:attr(data-label);float:left;margin-right:12px;color:var(--muted);font-size:13px;text-align:start;overflow-wrap:normal}
  .scroll td:first-child{display:block;text-align:start;font-weight:600;padding-bottom:4px}
  .scroll td:first-child::before{content:none}
  .scroll td:empty{display:none}
  table.tiers tbody tr:last-child{border:2px solid var(--ink)}
  table.tiers tbody tr:last-child td{border-top:0}
}
@media print{
  @page{margin:14mm}
  body{background:#fff;font-size:11pt}
  nav{display:none}
  .card,.kpi{border:1px solid #ccc;break-inside:avoid;page-break-inside:avoid}
  .card.scheme,#history{break-inside:auto}
  figure,table{break-inside:avoid}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  .scroll{overflow:visible}
  a{color:inherit;text-decoration:none}
}
`;

// Prints the clinical sample PDFs of samples/warehouse/docs from our own HTML (scripts/samples/pdf-src/)
// with headless Chromium through playwright-core. Run: node scripts/samples/generate-pdfs.mjs
// CHROMIUM_PATH overrides the browser (default /usr/bin/chromium).
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const SRC = join(HERE, 'pdf-src');
const OUT = join(HERE, '..', '..', 'samples', 'warehouse', 'docs');
const MAX_BYTES = 300 * 1024;

const smallText = 'font-family: "Liberation Sans", sans-serif; font-size: 8px; color: #444; width: 100%; margin: 0 18mm;';
const pageOf = '<span class="pageNumber"></span> of <span class="totalPages"></span>';

const TEXT_DOCUMENTS = [
  {
    source: 'protocol_QRX-201.html',
    output: 'protocol_QRX-201.pdf',
    header: `<div style='${smallText} display:flex; justify-content:space-between'><span>Halvorsen Biopharma, Inc. · CONFIDENTIAL</span><span>Protocol QRX-201 · Version 3.0 · 14 March 2025</span></div>`,
    footer: `<div style='${smallText} text-align:center'>Page ${pageOf}</div>`,
  },
  {
    source: 'icf_QRX-201.html',
    output: 'icf_QRX-201.pdf',
    header: '<div></div>',
    footer: `<div style='${smallText} display:flex; justify-content:space-between'><span>QRX-201 ICF v2.1 (02-Apr-2025)</span><span>Page ${pageOf}</span><span>Participant initials: ______</span></div>`,
  },
];

async function printTextDocument(browser, doc) {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(join(SRC, doc.source)).href, { waitUntil: 'load' });
  await page.pdf({
    path: join(OUT, doc.output),
    preferCSSPageSize: true,
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: doc.header,
    footerTemplate: doc.footer,
    tagged: false,
    outline: false,
  });
  await page.close();
}

// A "scan": the HTML page becomes a greyish, slightly rotated PNG, and the PDF holds only that picture.
async function printScannedDocument(browser) {
  const render = await browser.newPage({ viewport: { width: 794, height: 1123 }, deviceScaleFactor: 1.25 });
  await render.goto(pathToFileURL(join(SRC, 'scan_lab_report.html')).href, { waitUntil: 'load' });
  const png = await render.screenshot({ type: 'png', fullPage: false });
  await render.close();

  const holder = await browser.newPage();
  const html = `<!DOCTYPE html><html><head><style>@page { size: A4; margin: 0; } html, body { margin: 0; }
    img { display: block; width: 210mm; height: 297mm; }</style></head>
    <body><img alt="" src="data:image/png;base64,${png.toString('base64')}"></body></html>`;
  await holder.setContent(html, { waitUntil: 'load' });
  await holder.pdf({ path: join(OUT, 'scan_lab_report.pdf'), preferCSSPageSize: true, printBackground: true, tagged: false, outline: false });
  await holder.close();
}

function hasTextOperators(file) {
  // Chromium compresses content streams, so look for the fonts that any text would need instead.
  const bytes = readFileSync(file).toString('latin1');
  return /\/Font\b|\/FontDescriptor\b|\/BaseFont\b/.test(bytes);
}

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
try {
  for (const doc of TEXT_DOCUMENTS) await printTextDocument(browser, doc);
  await printScannedDocument(browser);
} finally {
  await browser.close();
}

let failed = false;
for (const name of ['protocol_QRX-201.pdf', 'icf_QRX-201.pdf', 'scan_lab_report.pdf']) {
  const file = join(OUT, name);
  const size = statSync(file).size;
  const note = name.startsWith('scan_') ? (hasTextOperators(file) ? 'HAS FONTS (expected none)' : 'no fonts: image only') : '';
  if (size > MAX_BYTES || note.startsWith('HAS')) failed = true;
  console.log(`${name}: ${(size / 1024).toFixed(1)} KiB ${note}`);
}
if (failed) process.exitCode = 1;

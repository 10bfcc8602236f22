// SPDX-License-Identifier: GPL-3.0-or-later
// warc-check.mjs — reads a WARC file that `trawl-cli export --format warc`
// wrote with warcio.js (Webrecorder's reader, not Trawl's code) and
// compares it with the crawl file, read on its own with the sqlite3
// program: a warcinfo record first, then one response record per page that
// had a response, in the crawl's order, each with the page's URL, date,
// status, headers and body bytes, and digests that match what is there.
//
//   node warc-check.mjs WARCIO_DIR CRAWL.trawl OUT.warc[.gz]
//
// Prints a JSON summary ({"records", "urls"}) for the C test; exits 1 with
// every difference found.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const [warcioDir, crawl, warcPath] = process.argv.slice(2);
const { WARCParser } = await import(pathToFileURL(join(warcioDir, 'node_modules', 'warcio', 'dist', 'index.js')));

const problems = [];
function check(ok, what) {
  if (!ok)
    problems.push(what);
}

function sql(query) {
  const out = execFileSync('sqlite3', ['-json', '-readonly', crawl, query], { maxBuffer: 1 << 30 }).toString();
  return out.trim() === '' ? [] : JSON.parse(out);
}

function sha1(bytes) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha1').update(bytes).digest();
  let bits = '';
  for (const byte of digest)
    bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5)
    out += alphabet[parseInt(bits.slice(i, i + 5), 2)];
  return 'sha1:' + out;
}

// The crawl, as the schema in docs/schema.md describes it.
const job = sql("SELECT value FROM meta WHERE key = 'job'")[0].value;
const startUrls = /^start_urls=(.*)$/m.exec(job)[1].split(';').filter((u) => u !== '');
const compression = !/^compression=false$/m.test(job);
const pages = sql(
  "SELECT p.url, p.status, p.headers, strftime ('%Y-%m-%dT%H:%M:%SZ', p.fetched_at, 'unixepoch') AS date, " +
  "       b.encoding, hex (b.body) AS body, u.reason " +
  "FROM urls u JOIN pages p ON p.id = u.id LEFT JOIN bodies b ON b.page_id = p.id " +
  "WHERE p.status > 0 ORDER BY u.id");

// What the response's headers must be: the stored ones, with the codings
// the stored body no longer has renamed and its own length.
function expectedHeaders(page, length) {
  const headers = [];
  for (const line of (page.headers || '').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0)
      continue;
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    const lower = name.toLowerCase();
    if (lower === 'transfer-encoding' ||
        (compression && lower === 'content-encoding' && ['gzip', 'x-gzip', 'deflate', 'br'].includes(value.toLowerCase())))
      headers.push(['x-orig-' + lower, value]);
    else if (lower === 'content-length') {
      if (value !== String(length))
        headers.push(['x-orig-content-length', value]);
      headers.push(['content-length', String(length)]);
    } else
      headers.push([lower, value]);
  }
  return headers;
}

const data = readFileSync(warcPath);
const gzipped = data[0] === 0x1f && data[1] === 0x8b;

// First the records as blocks: the block digest covers the HTTP headers too.
const blocks = [];
{
  const parser = new WARCParser([data], { parseHttp: false });
  for await (const record of parser) {
    const block = Buffer.from(await record.readFully(false));
    blocks.push({ type: record.warcType, id: record.warcHeader('WARC-Record-ID'), block });
    check(record.warcBlockDigest === sha1(block), `record ${blocks.length}: its block digest is wrong`);
    check(record.warcContentLength === block.length, `record ${blocks.length}: Content-Length is not its length`);
    if (gzipped) {
      // Each record is a gzip member of its own, readable alone.
      const member = gunzipSync(data.subarray(parser.offset, parser.offset + parser.recordLength));
      check(member.subarray(0, 10).toString('latin1') === 'WARC/1.1\r\n' &&
            member.subarray(member.length - 4).toString('latin1') === '\r\n\r\n',
            `record ${blocks.length} is not a gzip member of its own`);
    }
  }
}

check(blocks.length > 0 && blocks[0].type === 'warcinfo', 'the first record is not warcinfo');
if (blocks.length > 0 && blocks[0].type === 'warcinfo') {
  const info = blocks[0].block.toString('utf8');
  check(/^software: Trawl \S+\r$/m.test(info), 'warcinfo names no software');
  check(/^format: WARC File Format 1\.1\r$/m.test(info), 'warcinfo names no format');
  for (const url of startUrls)
    check(info.includes(url), `warcinfo does not name the start URL ${url}`);
}
const ids = new Set(blocks.map((b) => b.id));
check(ids.size === blocks.length, 'two records have the same WARC-Record-ID');
for (const id of ids)
  check(/^<urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}>$/.test(id), `${id} is not a urn:uuid`);

// Then as HTTP responses, compared page by page with the crawl file.
const urls = [];
let index = 0;
for await (const record of new WARCParser([data])) {
  if (record.warcType === 'warcinfo') {
    await record.readFully(false);
    continue;
  }
  const page = pages[index++];
  const where = `response ${index} (${record.warcTargetURI})`;
  check(record.warcType === 'response', `${where} is a ${record.warcType} record`);
  if (page === undefined) {
    problems.push(`${where}: the crawl has no page for it`);
    break;
  }
  const body = page.encoding === null ? Buffer.alloc(0) : gunzipSync(Buffer.from(page.body, 'hex'));
  const payload = Buffer.from(await record.readFully(false));

  urls.push(record.warcTargetURI);
  check(record.warcTargetURI === page.url, `${where}: the crawl has ${page.url} here`);
  check(record.warcDate === page.date, `${where}: WARC-Date ${record.warcDate}, fetched at ${page.date}`);
  check(record.warcContentType === 'application/http;msgtype=response', `${where}: Content-Type ${record.warcContentType}`);
  check(record.warcHeader('WARC-Warcinfo-ID') === blocks[0].id, `${where}: WARC-Warcinfo-ID is not the warcinfo`);
  check((record.warcHeader('WARC-Truncated') === 'length') === (page.reason === 'too-large'),
        `${where}: WARC-Truncated does not say whether the body was cut at the size limit`);
  check(String(record.httpHeaders.statusCode) === String(page.status),
        `${where}: status ${record.httpHeaders.statusCode}, stored ${page.status}`);
  check(payload.equals(body), `${where}: the payload (${payload.length} bytes) is not the stored body (${body.length})`);
  check(record.warcPayloadDigest === sha1(body), `${where}: the payload digest is not the body's`);

  const expected = expectedHeaders(page, body.length);
  const got = [...record.httpHeaders.headers.entries()].map(([name, value]) => [name.toLowerCase(), value]);
  const key = (list) => JSON.stringify([...new Map(list.map(([n]) => [n, list.filter(([m]) => m === n).map(([, v]) => v).join(', ')])).entries()].sort());
  check(key(got) === key(expected), `${where}: headers ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
}
check(index === pages.length, `${index} response records for ${pages.length} pages with a response`);

// What a replay tool shows: the text, not gzip it would inflate twice.
for await (const record of new WARCParser([data])) {
  if (record.warcTargetURI !== undefined && /\/edge\/gzip\.html$/.test(record.warcTargetURI)) {
    const text = await record.contentText();
    check(text.includes('<h1>Gzipped</h1>'), 'the gzipped page does not read as its HTML');
  } else
    await record.readFully(false);
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(JSON.stringify({ records: blocks.length, urls }));

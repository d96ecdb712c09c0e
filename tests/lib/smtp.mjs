// smtp.mjs -- a small real SMTP server that keeps what it is sent, and a
// reader for the messages it keeps.
//
// startSmtpSink() listens on a free loopback port and speaks enough of
// RFC 5321 for a client such as libcurl: the greeting, EHLO/HELO, MAIL FROM,
// RCPT TO, DATA (ending at a lone ".", with dot-unstuffing), RSET, NOOP,
// QUIT; commands out of order get 503, unknown ones 502.  Each message is
// kept as {from, to: [...], data (the text as sent, CRLF line ends)}.
// No TLS and no AUTH: it is for tests on one machine.
//
// parseMessage() reads RFC 5322 / MIME text back: unfolded headers with
// RFC 2047 words decoded, and the text parts of a multipart body with
// quoted-printable or base64 undone.
import net from 'node:net';

/**
 * Start the sink.  Resolves to {port, messages, commands, waitForMessages(n,
 * ms), close()}; commands lists every command line received, for tests that
 * check the conversation.
 */
export function startSmtpSink({ host = '127.0.0.1', greeting = 'sink.test' } = {}) {
  const messages = [];
  const commands = [];
  const waiters = new Set();
  const sockets = new Set();

  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let buf = '';
    let inData = false;
    let lines = [];
    let from = null;
    let to = [];
    let greeted = false;
    const reply = (s) => { if (!sock.destroyed) sock.write(`${s}\r\n`); };
    const reset = () => { from = null; to = []; };

    reply(`220 ${greeting} ESMTP test sink`);
    sock.setEncoding('latin1');
    sock.on('data', (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            const data = Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1')
              .toString('utf8');
            messages.push({ from, to: [...to], data });
            lines = [];
            reset();
            reply(`250 2.0.0 queued as ${messages.length}`);
            for (const w of waiters) w();
          } else {
            // dot-unstuffing (RFC 5321 4.5.2)
            lines.push(line.startsWith('.') ? line.slice(1) : line);
          }
          continue;
        }
        commands.push(line);
        const verb = line.split(' ', 1)[0].toUpperCase();
        const arg = line.slice(verb.length).trim();
        if (verb === 'EHLO') {
          greeted = true;
          reset();
          reply(`250-${greeting} greets ${arg}`);
          reply('250-8BITMIME');
          reply('250-SIZE 10485760');
          reply('250 HELP');
        } else if (verb === 'HELO') {
          greeted = true;
          reset();
          reply(`250 ${greeting}`);
        } else if (verb === 'MAIL') {
          const m = /^FROM:\s*<([^>]*)>/i.exec(arg);
          if (!greeted) reply('503 5.5.1 EHLO or HELO first');
          else if (!m) reply('501 5.5.4 syntax: MAIL FROM:<address>');
          else if (from !== null) reply('503 5.5.1 nested MAIL command');
          else { from = m[1]; reply('250 2.1.0 OK'); }
        } else if (verb === 'RCPT') {
          const m = /^TO:\s*<([^>]+)>/i.exec(arg);
          if (from === null) reply('503 5.5.1 MAIL first');
          else if (!m) reply('501 5.5.4 syntax: RCPT TO:<address>');
          else { to.push(m[1]); reply('250 2.1.5 OK'); }
        } else if (verb === 'DATA') {
          if (from === null || to.length === 0) reply('503 5.5.1 RCPT first');
          else { inData = true; reply('354 end data with <CR><LF>.<CR><LF>'); }
        } else if (verb === 'RSET') {
          reset();
          reply('250 2.0.0 OK');
        } else if (verb === 'NOOP') {
          reply('250 2.0.0 OK');
        } else if (verb === 'QUIT') {
          reply('221 2.0.0 bye');
          sock.end();
        } else {
          reply('502 5.5.2 command not implemented');
        }
      }
    });
  });

  return new Promise((ok, fail) => {
    server.on('error', fail);
    server.listen(0, host, () => {
      const { port } = server.address();
      ok({
        port,
        messages,
        commands,
        /** Resolve once n messages have arrived; throw after ms. */
        waitForMessages(n = 1, ms = 10_000) {
          return new Promise((done, timeout) => {
            const check = () => {
              if (messages.length >= n) {
                clearTimeout(timer);
                waiters.delete(check);
                done(messages);
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              timeout(new Error(`the SMTP sink received ${messages.length} ` +
                `message(s) within ${ms} ms, not ${n}; commands: ` +
                JSON.stringify(commands)));
            }, ms);
            waiters.add(check);
            check();
          });
        },
        close() {
          for (const s of sockets) s.destroy();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}

/** RFC 2047 encoded-words (B and Q, any charset node knows) decoded. */
export function decodeWords(s) {
  return s
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, cs, enc, text) => {
      const bytes = /b/i.test(enc)
        ? Buffer.from(text, 'base64')
        : Buffer.from(text.replace(/_/g, ' ')
          .replace(/=([0-9A-Fa-f]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      return new TextDecoder(cs.toLowerCase()).decode(bytes);
    });
}

/** Quoted-printable undone: soft breaks joined, =XX to bytes, as UTF-8. */
export function decodeQuotedPrintable(s) {
  const bin = s.replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bin, 'latin1').toString('utf8');
}

function splitHead(text) {
  const i = text.indexOf('\r\n\r\n');
  if (i < 0) throw new Error('no blank line after the headers');
  const head = text.slice(0, i);
  const body = text.slice(i + 4);
  const headers = {};
  const rawHeaders = [];
  for (const line of head.split(/\r\n(?![ \t])/)) {
    const c = line.indexOf(':');
    if (c <= 0) throw new Error(`bad header line: ${JSON.stringify(line)}`);
    const name = line.slice(0, c).toLowerCase();
    const value = line.slice(c + 1).replace(/\r\n/g, '').trim();
    rawHeaders.push([name, line]);
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return { headers, rawHeaders, body };
}

function decodeBody(headers, body) {
  const cte = (headers['content-transfer-encoding'] || '7bit').toLowerCase();
  if (cte === 'quoted-printable') return decodeQuotedPrintable(body);
  if (cte === 'base64') return Buffer.from(body, 'base64').toString('utf8');
  return body;
}

/**
 * Parse a message: {headers (lower-case names, unfolded, raw), decoded
 * (the same with RFC 2047 words decoded), rawHeaders: [[name, line]],
 * contentType, parts: [{contentType, headers, text}], text} where parts are
 * the leaves of a multipart body (or the one body) with their transfer
 * encoding undone.
 */
export function parseMessage(text) {
  const { headers, rawHeaders, body } = splitHead(text);
  const decoded = Object.fromEntries(Object.entries(headers)
    .map(([k, v]) => [k, decodeWords(v)]));
  const contentType = headers['content-type'] || 'text/plain';
  const parts = [];
  const m = /^multipart\/[^;]+;.*boundary="?([^";]+)"?/i.exec(contentType);
  if (m) {
    const delim = `--${m[1]}`;
    const pieces = `\r\n${body}`.split(`\r\n${delim}`);
    if (!pieces[pieces.length - 1].startsWith('--')) {
      throw new Error(`multipart body without the closing ${delim}--`);
    }
    for (const piece of pieces.slice(1, -1)) {
      const p = splitHead(piece.replace(/^\r\n/, ''));
      parts.push({
        contentType: p.headers['content-type'] || 'text/plain',
        headers: p.headers,
        text: decodeBody(p.headers, p.body),
      });
    }
  } else {
    parts.push({ contentType, headers, text: decodeBody(headers, body) });
  }
  return { headers, decoded, rawHeaders, contentType, parts, text };
}

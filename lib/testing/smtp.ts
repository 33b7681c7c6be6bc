// A minimal SMTP server on loopback for tests: real nodemailer talks to it.
// `failNext` answers that many messages with a temporary failure (451);
// `failFor(address, n)` refuses only that recipient, n times (451 to RCPT), so
// a test's failure cannot be spent by another email sent to the same server.
// `holdFor(address)` never answers RCPT for that recipient: a send that hangs
// mid-conversation (to kill its worker). Each refusal and message is timed.
import net from 'node:net';

export interface SmtpMessage {
  to: string[];
  data: string;
  /** When the server accepted it (Date.now()). */
  at: number;
}

export async function startSmtpServer() {
  const state = { failNext: 0, rejected: 0, messages: [] as SmtpMessage[] };
  const failures = new Map<string, number>();
  const rejectedTo = new Map<string, number[]>();
  const held = new Set<string>();
  const heldTo = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    let buffer = '';
    let inData = false;
    let to: string[] = [];
    let data = '';
    const say = (line: string) => socket.write(`${line}\r\n`);
    say('220 test-smtp ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end === -1) return;
          data += buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          state.messages.push({ to, data, at: Date.now() });
          say('250 2.0.0 queued');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol === -1) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') say('250 test-smtp');
        else if (verb === 'MAIL') {
          if (state.failNext > 0) {
            state.failNext -= 1;
            state.rejected += 1;
            say('451 4.3.0 try again later');
          } else {
            to = [];
            say('250 2.1.0 ok');
          }
        } else if (verb === 'RCPT') {
          const address = line.replace(/^RCPT TO:\s*<?([^>]*)>?.*$/i, '$1');
          const left = failures.get(address) ?? 0;
          if (held.has(address)) {
            heldTo.set(address, (heldTo.get(address) ?? 0) + 1); // no answer: the client waits
          } else if (left > 0) {
            failures.set(address, left - 1);
            state.rejected += 1;
            rejectedTo.set(address, [...(rejectedTo.get(address) ?? []), Date.now()]);
            say('451 4.3.0 try again later');
          } else {
            to.push(address);
            say('250 2.1.5 ok');
          }
        } else if (verb === 'DATA') {
          inData = true;
          data = '';
          say('354 go ahead');
        } else if (verb === 'QUIT') {
          say('221 bye');
          socket.end();
        } else say('250 ok');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    state,
    /** Refuse messages to `address` with a temporary failure, `times` times. */
    failFor: (address: string, times = 1) => void failures.set(address, times),
    /** Never answer RCPT for `address` (until `release`): the sending client hangs. */
    holdFor: (address: string) => void held.add(address),
    release: (address: string) => void held.delete(address),
    /** How many conversations reached RCPT for a held address. */
    heldTo: (address: string) => heldTo.get(address) ?? 0,
    rejectedTo: (address: string) => rejectedTo.get(address)?.length ?? 0,
    /** When each refusal of `address` happened. */
    rejectionsOf: (address: string) => rejectedTo.get(address) ?? [],
    sentTo: (address: string) => state.messages.filter((m) => m.to.includes(address)).length,
    messagesTo: (address: string) => state.messages.filter((m) => m.to.includes(address)),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

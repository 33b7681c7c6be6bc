// Load for the webhook benchmark: signed `customer.subscription.updated`
// events (each for its own subscription of one customer) posted by a lean
// keep-alive client, closed loop (burst) or open loop (a steady rate).
import http from 'node:http';
import Stripe from 'stripe';

export const SECRET = 'whsec_benchmarkSecretForTollgate0000';
export const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
export const RATE = Number(process.env.BENCH_RATE ?? 200);
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);

const signer = new Stripe('sk_test_signing_only');
let sequence = 0;

function subscriptionEvent(i: number, customerId: string): string {
  const now = Math.floor(Date.now() / 1000);
  return JSON.stringify({
    id: `evt_bench_${i}_${Math.random().toString(36).slice(2, 10)}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: now,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'customer.subscription.updated',
    data: {
      previous_attributes: { cancel_at_period_end: true },
      object: {
        id: `sub_bench_${i}`,
        object: 'subscription',
        customer: customerId,
        status: 'active',
        cancel_at_period_end: false,
        cancel_at: null,
        canceled_at: null,
        ended_at: null,
        trial_start: null,
        trial_end: null,
        created: now - 86_400,
        livemode: false,
        latest_invoice: null,
        items: {
          object: 'list',
          data: [
            {
              id: `si_bench_${i}`,
              object: 'subscription_item',
              created: now - 86_400,
              quantity: 1,
              current_period_start: now - 3600,
              current_period_end: now + 30 * 86_400,
              plan: { id: 'price_bench', object: 'plan', product: 'prod_bench', interval: 'month' },
              price: {
                id: 'price_bench',
                object: 'price',
                lookup_key: 'pro_monthly',
                product: 'prod_bench',
                recurring: { interval: 'month' },
              },
            },
          ],
        },
      },
    },
  });
}

// A lean keep-alive client, so the load generator takes as little as possible
// of the CPU it shares with the server and Postgres on this machine.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function post(url: string, body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'stripe-signature': signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function signed(customerId: string, forged = false) {
  const payload = subscriptionEvent(sequence++, customerId);
  if (forged) return { payload, header: `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` };
  return { payload, header: signer.webhooks.generateTestHeaderString({ payload, secret: SECRET }) };
}

/**
 * Closed loop: `count` events at CONCURRENCY, spread over the instances. `forged`: a wrong
 * signature on each (the route verifies it and answers 400, writing nothing); any other status counts as an error.
 */
export async function burst(urls: string[], count: number, customerId: string, forged = false) {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const worker = async (w: number) => {
    while (next < count) {
      next += 1;
      const { payload, header } = signed(customerId, forged);
      const t = performance.now();
      const status = await post(urls[w % urls.length]!, payload, header);
      latencies.push(performance.now() - t);
      if (status !== (forged ? 400 : 200)) errors += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  return { seconds: (performance.now() - started) / 1000, latencies, errors };
}

/** Open loop: RATE events/s for SECONDS, whatever the answers (at most 512 in flight). */
export async function sustained(urls: string[], customerId: string) {
  const latencies: number[] = [];
  const total = RATE * SECONDS;
  let sent = 0;
  let errors = 0;
  let inFlight = 0;
  let dropped = 0;
  const pending: Array<Promise<void>> = [];
  const started = performance.now();
  while (sent + dropped < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE));
    while (sent + dropped < due) {
      if (inFlight >= 512) {
        dropped += 1;
        continue;
      }
      const { payload, header } = signed(customerId);
      const url = urls[sent % urls.length]!;
      sent += 1;
      inFlight += 1;
      const t = performance.now();
      pending.push(
        post(url, payload, header)
          .then((status) => {
            latencies.push(performance.now() - t);
            if (status !== 200) errors += 1;
          })
          .catch(() => void (errors += 1))
          .finally(() => void (inFlight -= 1)),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(pending);
  return { seconds: (performance.now() - started) / 1000, latencies, errors, sent, dropped };
}

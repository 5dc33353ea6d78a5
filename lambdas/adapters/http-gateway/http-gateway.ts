/**
 * An SMS aggregator reached over HTTP (eSMS-style JSON or form APIs), described by configuration
 * (HttpGatewayOptions) rather than code: one request per message, its outcome read from the HTTP status
 * and a code in the answer.
 *
 * Sending twice is what this class guards against most. Every message carries a request id derived from
 * its reference, so the provider drops a repeat however it comes (a retry here, a send job retried, a
 * worker that died before recording the outcome), and a failure after which the provider may hold the
 * message (a timeout, a 5xx, a connection lost once the request went out) is marked `uncertain`, so
 * the dispatcher retries it through this gateway only.
 *
 * Delivery reports come back to a webhook: see delivery-report-webhook.ts.
 */
import { realSleep } from '../aws-sdk-errors.js';
import type { Sleep } from '../../core/gateways/rate-limiter.js';
import { retryDelayMs } from '../../core/dispatch/backoff.js';
import type { Gateway, OutgoingSms, SubmitResult } from '../../core/ports.js';
import { maskPhone } from '../../core/subscribers/phone-number.js';
import { HttpGatewayConfigError } from './errors.js';
import { outcomeOfFetchFailure } from './fetch-failure.js';
import type { HttpGatewayOptions } from './http-gateway-options.js';
import { phoneInFormat } from './phone-format.js';
import { outcomeOfAnswer, type ProviderAnswer } from './provider-answer.js';
import { buildProviderRequest, requestIdFor, type ProviderRequest } from './provider-request.js';
import { reasonTextFor } from './reason-text.js';

export class HttpGateway implements Gateway {
  readonly id: string;
  readonly messagesPerSecond: number | undefined;
  private readonly reasonText: (text: string) => string;

  constructor(
    private readonly options: HttpGatewayOptions,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly sleep: Sleep = realSleep,
    /** Where the retries' jitter is drawn from; a test fixes it to know each wait. */
    private readonly random: () => number = Math.random,
  ) {
    assertUsable(options);
    this.id = options.id;
    this.messagesPerSecond = options.tps;
    this.reasonText = reasonTextFor(options);
  }

  async submit(message: OutgoingSms): Promise<SubmitResult> {
    const phone = phoneInFormat(message.to, this.options.phoneFormat);
    if (phone === undefined) {
      return { outcome: 'permanent', reason: `cannot write ${maskPhone(message.to)} as a ${this.options.phoneFormat} number` };
    }
    const requestId = requestIdFor(message.reference);
    const request = buildProviderRequest(this.options, {
      phone,
      // Decomposed Vietnamese costs more parts and some providers count it wrong.
      text: message.text.normalize('NFC'),
      unicode: message.encoding === 'UCS-2',
      requestId,
    });

    let providerMayHaveIt = false;
    for (let attempt = 1; ; attempt += 1) {
      const result = await this.attempt(request, requestId);
      if (result.outcome === 'transient') {
        if (attempt <= this.options.retries) {
          providerMayHaveIt ||= result.uncertain === true;
          await this.sleep(retryDelayMs(attempt, this.options.retryBaseMs, { random: this.random }));
          continue;
        }
        return providerMayHaveIt && !result.uncertain ? stillUncertain(result.reason) : result;
      }
      // A throttled message is retried later through whichever gateway the route picks; one the provider may
      // hold must come back to this gateway only.
      if (result.outcome === 'throttled' && providerMayHaveIt) return stillUncertain(result.reason);
      return result;
    }
  }

  private async attempt(request: ProviderRequest, requestId: string): Promise<SubmitResult> {
    let answer: ProviderAnswer;
    try {
      const response = await this.fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined && { body: request.body }),
        // A redirected POST turns into a GET and loses its body: a moved endpoint is a configuration error.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      // Read to the end even when unused, or the connection cannot be reused.
      answer = { status: response.status, body: await response.text() };
    } catch (error) {
      return outcomeOfFetchFailure(error, this.options.timeoutMs);
    }
    return outcomeOfAnswer(this.options.response, answer, requestId, this.reasonText);
  }
}

function stillUncertain(reason: string): SubmitResult {
  return { outcome: 'transient', uncertain: true, reason: `${reason} (an earlier attempt may have reached the provider)` };
}

function assertUsable(options: HttpGatewayOptions): void {
  const problems: string[] = [];
  if (!/^https?:$/.test(URL.parse(options.request.url)?.protocol ?? '')) problems.push('request.url is not an http(s) URL');
  if (!(options.timeoutMs > 0)) problems.push(`timeoutMs must be positive, got ${options.timeoutMs}`);
  if (!Number.isInteger(options.retries) || options.retries < 0)
    problems.push(`retries must be a whole number >= 0, got ${options.retries}`);
  if (!(options.retryBaseMs >= 0)) problems.push(`retryBaseMs must be >= 0, got ${options.retryBaseMs}`);
  if (options.tps !== undefined && !(options.tps > 0)) problems.push(`tps must be positive, got ${options.tps}`);
  if (problems.length > 0) throw new HttpGatewayConfigError(`HTTP gateway ${options.id}: ${problems.join('; ')}`);
}

export { NotifierConfig, Destination, RouteFilter, RateLimit } from './config.ts';
export { resolveDestinations, redactNotifierConfig, durableFor, DEFAULT_DESTINATION, type ResolvedDestination } from './core/destinations.ts';
export { compileFilter, matchesFilter, filterSubject } from './core/route-filter.ts';
export { toSlackPayload, singleNotice, levelColor, type SlackPayload, type SlackBlock } from './core/slack-payload.ts';
export { composeNotice, type Notice } from './core/notice.ts';
export { postToWebhook } from './adapters/slack-webhook.ts';
export { NOTIFIED_BUCKET } from './adapters/notified-store.ts';
export { startNotifierConsumer, hasNotifierDestinations, type RunningNotifier } from './adapters/notifier-consumer.ts';

export { NotifierConfig } from './config.ts';
export { toSlackPayload, levelColor, type SlackPayload } from './core/slack-payload.ts';
export { postToWebhook } from './adapters/slack-webhook.ts';
export { startNotifierConsumer, NOTIFIED_BUCKET } from './adapters/notifier-consumer.ts';

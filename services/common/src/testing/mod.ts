export { natsSkipReason, startTestNats, waitFor, type NatsFixture } from './nats-fixture.ts';

export { natsSkipReason, startTestNats, waitFor, type NatsFixture } from './nats-fixture.ts';
export { useTestNats, type TestNats, type TestNatsHooks } from './use-test-nats.ts';

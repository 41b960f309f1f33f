export { ResponderConfig, ResponseSpec, checkResponderConfig } from './config.ts';
export { decideResponses, emptyMemory, remember, timeoutFor, OWN_GROUP, type Decision, type ResponderMemory } from './core/decide-responses.ts';
export { startResponderConsumer, type RunningResponder } from './adapters/responder-consumer.ts';
export { openRecordsOnBus, openResponseRecords, readResponseRecords, type ResponseRecord } from './adapters/response-records.ts';

import { compileValidator } from './validate.ts';
import { RawEvent } from './raw-event.ts';
import { DecodedEvent } from './decoded-event.ts';
import { Alert } from './alert.ts';
import { DeadLetter } from './dead-letter.ts';
import { Inventory } from './inventory.ts';
import { ArCommand } from './ar-command.ts';

export { RawEvent, AgentRef, EventKind as EventKindSchema } from './raw-event.ts';
export { DecodedEvent, Predecoder, DecoderRef } from './decoded-event.ts';
export { Alert, AlertRule } from './alert.ts';
export { DeadLetter } from './dead-letter.ts';
export { Inventory, InventoryPackage, InventoryOs, InventoryContainer, PackageFormat } from './inventory.ts';
export { ArCommand, AR_COMMANDS, type ArCommandName } from './ar-command.ts';
export { compileValidator, describeField, type Validator } from './validate.ts';

export const validators = {
  rawEvent: compileValidator(RawEvent, 'raw event'),
  decodedEvent: compileValidator(DecodedEvent, 'decoded event'),
  alert: compileValidator(Alert, 'alert'),
  deadLetter: compileValidator(DeadLetter, 'dead letter'),
  inventory: compileValidator(Inventory, 'inventory'),
  arCommand: compileValidator(ArCommand, 'active-response command'),
};

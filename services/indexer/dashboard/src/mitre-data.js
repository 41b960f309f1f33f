// ATT&CK names as the rule engine ships them (services/rule-engine/data/mitre-attack.json), bundled at build time.
import attack from '../../../rule-engine/data/mitre-attack.json';

export const TACTICS = Object.entries(attack.tactics).map(([id, name]) => ({ id, name }));
export const TECHNIQUES = attack.techniques;
export const mitreName = (id) => TECHNIQUES[id]?.name ?? '';
export const ATTACK_SOURCE = attack.source;

// Worker-thread entry: tsx's loader is not inherited by workers, so register it, then load the TS worker.
import { register } from 'tsx/esm/api';
register();
await import('./worker.ts');

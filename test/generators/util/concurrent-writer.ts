/**
 * A test helper process: writes the same unit folder `<out>/u` again and again with
 * writeFolderAtomic, as a user running `gen` in a loop would. Usage: `tsx concurrent-writer.ts OUT COUNT`.
 */
import { MacConfig } from '../../../generators/config/mac-config.ts';
import { generateUnit } from '../../../generators/generate.ts';
import { writeFolderAtomic } from '../../../generators/util/atomic.ts';

const [out, count] = process.argv.slice(2);
const { files } = generateUnit(new MacConfig({ fmt: 'e4m3', lanes: 2, name: 'u' }));
for (let i = 0; i < Number(count); i++) writeFolderAtomic(out, 'u', files);

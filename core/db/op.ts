// sequelize's operators, from their own small module: the same symbols sequelize uses, without loading sequelize.
import type { Op as SequelizeOp } from 'sequelize';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const Op: typeof SequelizeOp = require('sequelize/lib/operators');

// Entry point of one bad-input sweep child process (see run_cases.ts).
'use strict';
require('../helpers/register-ts.js');
require('./run_cases.ts')
  .main()
  .then(() => process.exit(0));

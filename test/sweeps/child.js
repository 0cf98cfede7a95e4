// Entry point of one bad-input sweep child process (see run_cases.ts).
'use strict';
require('./ts_register.js');
require('./run_cases.ts')
  .main()
  .then(() => process.exit(0));

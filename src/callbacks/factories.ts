// camelCase factories of the callback classes (TensorFlow.js's callbacks.earlyStopping
// style): `callbacks.modelCheckpoint({filepath})` is `new ModelCheckpoint({filepath})`.
import { tooManyArguments } from '../options/arity';
import { BackupAndRestore } from './backup_and_restore';
import { History } from './history';
import { LearningRateScheduler, ReduceLROnPlateau } from './learning_rate';
import { ModelCheckpoint } from './model_checkpoint';
import { ProgbarLogger } from './progbar';
import { RemoteMonitor } from './remote_monitor';
import { CSVLogger, LambdaCallback, TerminateOnNaN } from './simple';
import { SwapEMAWeights } from './swap_ema_weights';
import { TensorBoard } from './tensorboard';

// `new cls(...args)`, refusing arguments past the constructor's `max` (JavaScript would drop them).
function make<A extends unknown[], C>(cls: new (...args: A) => C, max: number, op: string): (...args: A) => C {
  return (...args: A): C => {
    if (args.length > max) throw tooManyArguments(`callbacks.${op}`, max, args.length);
    return new cls(...args);
  };
}

/** `new History()`: records each epoch's logs (fit adds one itself). */
export const history = make(History, 0, 'history');
/** `new ProgbarLogger(options)`: a progress bar of fit / evaluate / predict. @example callbacks.progbarLogger({countMode: 'steps'}) */
export const progbarLogger = make(ProgbarLogger, 1, 'progbarLogger');
/** `new ModelCheckpoint(...)`: saves the model or its weights during fit. @example callbacks.modelCheckpoint({filepath: 'best.keras', saveBestOnly: true}) */
export const modelCheckpoint = make(ModelCheckpoint, 2, 'modelCheckpoint');
/** `new BackupAndRestore(options)`: backs training up to resume it after an interruption. @example callbacks.backupAndRestore({backupDir: 'backup'}) */
export const backupAndRestore = make(BackupAndRestore, 1, 'backupAndRestore');
/** `new ReduceLROnPlateau(options)`: lowers the learning rate when a metric stops improving. @example callbacks.reduceLROnPlateau({factor: 0.5, patience: 2}) */
export const reduceLROnPlateau = make(ReduceLROnPlateau, 1, 'reduceLROnPlateau');
/** `new LearningRateScheduler(schedule, verbose)`: sets the learning rate each epoch. @example callbacks.learningRateScheduler((epoch, lr) => lr * 0.9) */
export const learningRateScheduler = make(LearningRateScheduler, 2, 'learningRateScheduler');
/** `new TerminateOnNaN()`: stops training when the loss is not finite. */
export const terminateOnNaN = make(TerminateOnNaN, 0, 'terminateOnNaN');
/** `new LambdaCallback(hooks)`: a callback of plain functions. @example callbacks.lambdaCallback({onEpochEnd: (epoch, logs) => console.log(logs)}) */
export const lambdaCallback = make(LambdaCallback, 1, 'lambdaCallback');
/** `new CSVLogger(filename, separator, append)`: writes each epoch's logs to a CSV file. @example callbacks.csvLogger('log.csv') */
export const csvLogger = make(CSVLogger, 3, 'csvLogger');
/** `new TensorBoard(options)`: writes TensorBoard event files. @example callbacks.tensorBoard({logDir: 'logs'}) */
export const tensorBoard = make(TensorBoard, 1, 'tensorBoard');
/** `new RemoteMonitor(options)`: posts each epoch's logs to a server. */
export const remoteMonitor = make(RemoteMonitor, 1, 'remoteMonitor');
/** `new SwapEMAWeights(options)`: evaluates with an optimizer's moving-average weights. */
export const swapEMAWeights = make(SwapEMAWeights, 1, 'swapEMAWeights');

// Callbacks for fit / evaluate / predict.
export { Callback, CallbackList, type AnyCallback, type CallbackModel, type CallbackParams, type Hook, type Logs } from './callback';
export { History } from './history';
export { ProgbarLogger, type ProgbarOptions } from './progbar';
export { EarlyStopping, earlyStopping, type EarlyStoppingOptions } from './early_stopping';
export { ModelCheckpoint, type ModelCheckpointOptions } from './model_checkpoint';
export { BackupAndRestore, type BackupAndRestoreOptions } from './backup_and_restore';
export { ReduceLROnPlateau, LearningRateScheduler, type ReduceLROnPlateauOptions } from './learning_rate';
export { TerminateOnNaN, LambdaCallback, CSVLogger, type CallbackHooks, type CSVLoggerOptions } from './simple';
export { CustomCallback, type CallbacksArg } from './custom';
export { TensorBoard, type TensorBoardOptions } from './tensorboard';
export { RemoteMonitor, type RemoteMonitorOptions } from './remote_monitor';
export { SwapEMAWeights, type SwapEMAWeightsOptions } from './swap_ema_weights';
// The type of EarlyStopping's, ModelCheckpoint's and ReduceLROnPlateau's `monitor` (the class is theirs).
export type { Monitor, MonitorMode } from './monitor';
export {
  history,
  progbarLogger,
  modelCheckpoint,
  backupAndRestore,
  reduceLROnPlateau,
  learningRateScheduler,
  terminateOnNaN,
  lambdaCallback,
  csvLogger,
  tensorBoard,
  remoteMonitor,
  swapEMAWeights,
} from './factories';

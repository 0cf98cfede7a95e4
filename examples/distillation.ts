// keras.io's "Knowledge Distillation" on Fashion-MNIST: a large teacher is trained, then a
// small student learns from both the labels and the teacher's softened predictions (KL
// divergence between softmax(logits / temperature) of each, scaled by temperature^2). The
// Distiller, a subclassed Model, overrides compile (extra arguments: the two losses, alpha
// and the temperature), trainStep (only the student's weights move) and testStep.
//   node dist/examples/distillation.js [--quick]
import * as ts from '../src';
import { fashionMnistDir } from './common/data';
import { runAsScript, type ExampleOptions } from './common/main';

interface DistillerCompileArgs extends ts.CompileArgs {
  studentLossFn: ts.Loss;
  distillationLossFn: ts.Loss;
  /** Weight of the student's own loss; 1 - alpha goes to the distillation loss. */
  alpha?: number;
  temperature?: number;
}

class Distiller extends ts.Model {
  studentLossFn!: ts.Loss;
  distillationLossFn!: ts.Loss;
  alpha = 0.1;
  temperature = 3;

  constructor(
    readonly student: ts.Model,
    readonly teacher: ts.Model,
  ) {
    super();
  }

  override compile({ optimizer, metrics, studentLossFn, distillationLossFn, alpha = 0.1, temperature = 3 }: DistillerCompileArgs): void {
    super.compile({ optimizer, metrics });
    this.studentLossFn = studentLossFn;
    this.distillationLossFn = distillationLossFn;
    this.alpha = alpha;
    this.temperature = temperature;
  }

  override call(x: ts.Tensor): ts.Tensor {
    return this.student.apply(x);
  }

  override trainStep(data: ts.Batch<ts.Tensor, ts.Tensor>): ts.StepLogs {
    const x = data.x;
    const y = data.y!;
    const teacherPredictions = this.teacher.apply(x, { training: false });
    const tape = new ts.GradientTape();
    const studentPredictions = this.student.apply(x, { training: true });
    const studentLoss = this.studentLossFn.apply(y, studentPredictions);
    const distillationLoss = ts.mul(
      this.distillationLossFn.apply(ts.softmax(ts.div(teacherPredictions, this.temperature), 1), ts.softmax(ts.div(studentPredictions, this.temperature), 1)),
      this.temperature ** 2,
    );
    const loss = ts.add(ts.mul(this.alpha, studentLoss), ts.mul(1 - this.alpha, distillationLoss));
    const trainableVars = this.student.trainableVariables;
    const gradients = tape.gradient(loss, trainableVars);
    this.optimizer!.apply(gradients, trainableVars);
    const results = this.computeMetrics({ x, y, yPred: studentPredictions });
    return { ...results, student_loss: studentLoss, distillation_loss: distillationLoss };
  }

  override testStep(data: ts.Batch<ts.Tensor, ts.Tensor>): ts.StepLogs {
    const x = data.x;
    const y = data.y!;
    const yPrediction = this.student.apply(x, { training: false });
    const studentLoss = this.studentLossFn.apply(y, yPrediction);
    const results = this.computeMetrics({ x, y, yPred: yPrediction });
    return { ...results, student_loss: studentLoss };
  }
}

function convNet(name: string, filters: [number, number], quick: boolean): ts.Sequential {
  return ts.sequential({
    name,
    layers: [
      ts.input({ shape: [28, 28, 1] }),
      ts.layers.conv2d({ filters: filters[0], kernelSize: [3, 3], strides: [2, 2], padding: 'same' }),
      ts.layers.leakyReLU({ negativeSlope: 0.2 }),
      ts.layers.maxPooling2d({ poolSize: [2, 2], strides: [1, 1], padding: 'same' }),
      ...(quick ? [] : [ts.layers.conv2d({ filters: filters[1], kernelSize: [3, 3], strides: [2, 2], padding: 'same' })]),
      ts.layers.flatten(),
      ts.layers.dense({ units: 10 }),
    ],
  });
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(8);
  const { train, test } = ts.datasets.fashionMnist.load({ path: fashionMnistDir(), limit: quick ? 512 : 6000 });
  const teacher = convNet('teacher', [quick ? 32 : 256, 512], quick);
  const student = convNet('student', [quick ? 4 : 16, 32], quick);
  const epochs = quick ? 3 : 5;

  // The teacher learns from the labels alone.
  teacher.compile({
    optimizer: new ts.optimizers.Adam(),
    loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    metrics: [new ts.metrics.SparseCategoricalAccuracy()],
  });
  await teacher.fit(train.images, train.labels, { epochs, batchSize: 32, verbose: 2 });
  const teacherResult = await teacher.evaluate(test.images, test.labels, { verbose: 0 });

  // The student learns from the labels and from the teacher.
  const distiller = new Distiller(student, teacher);
  distiller.compile({
    optimizer: new ts.optimizers.Adam(),
    metrics: [new ts.metrics.SparseCategoricalAccuracy()],
    studentLossFn: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    distillationLossFn: new ts.losses.KLDivergence(),
    alpha: 0.1,
    temperature: 10,
  });
  const history = await distiller.fit(train.images, train.labels, { epochs, batchSize: 32, verbose: 2 });
  const distilled = await distiller.evaluate(test.images, test.labels, { verbose: 0 });
  console.log(
    `teacher accuracy ${teacherResult.sparse_categorical_accuracy.toFixed(3)}, distilled student accuracy ${distilled.sparse_categorical_accuracy.toFixed(3)} ` +
      `(${student.countParams()} parameters against the teacher's ${teacher.countParams()})`,
  );
  const losses = history.history.distillation_loss;
  for (const m of [teacher, distiller]) m.optimizer!.dispose();
  distiller.dispose();
  ts.dispose([train.images, train.labels, test.images, test.labels]);
  return {
    firstLoss: losses[0],
    lastLoss: losses.at(-1)!,
    studentLoss: history.history.student_loss.at(-1)!,
    studentAccuracy: distilled.sparse_categorical_accuracy,
    teacherAccuracy: teacherResult.sparse_categorical_accuracy,
  };
}

runAsScript(module, main);

// DenseNet121/169/201 against Keras 3.15: layers and outputs under the same (pattern) weights
// (fixtures of scripts/fixtures/make_applications_resnet_fixtures.py). Keras builds DenseNet
// channels last only: application.test.ts checks the refusal of channels first.
import * as ts from '../../src';
import { denseTop, describeLayers, describeNumeric } from './keras_reference';

const factories = { DenseNet121: ts.applications.DenseNet121, DenseNet169: ts.applications.DenseNet169, DenseNet201: ts.applications.DenseNet201 };
describeLayers('densenet', factories, denseTop);
describeNumeric('densenet', factories);

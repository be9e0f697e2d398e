"""Real use: a forward pass, a DataLoader with spawned workers, optimizer and scheduler."""

from __future__ import annotations


def test_forward_pass_on_tensors(python):
    out = python.output(
        """
        import torch
        from scopereg import MODELS
        model = MODELS.build(dict(type='mmalpha.MLPClassifier', in_features=8, num_classes=3,
                                  act_cfg=dict(type='RReLU')))
        log_probs = model(torch.randn(4, 8))
        print(tuple(log_probs.shape), torch.allclose(log_probs.exp().sum(-1), torch.ones(4)))
        """
    )
    assert out == "(4, 3) True"


def test_dataloader_with_two_spawned_workers_over_a_configured_dataset(python):
    out = python.output(
        """
        import torch
        from torch.utils.data import DataLoader
        from scopereg import DATASETS, FUNCTIONS

        if __name__ == '__main__':
            data = DATASETS.build(dict(type='mmalpha.SyntheticBlobs', num_samples=64,
                                       transforms=[dict(type='Standardize', std=3.0)]))
            loader = DataLoader(data, batch_size=16, num_workers=2,
                                multiprocessing_context='spawn',
                                collate_fn=FUNCTIONS.get('default_collate'))
            batches = list(loader)
            print(len(batches), tuple(batches[0][0].shape), sum(len(b[1]) for b in batches))
            expected = torch.stack([data[i][0] for i in range(16)])
            print(torch.equal(batches[0][0], expected))
        """
    )
    assert out.splitlines() == ["4 (16, 8) 64", "True"]


def test_optimizer_and_scheduler_from_the_root_registries(python):
    out = python.output(
        """
        from scopereg import MODELS, OPTIMIZERS, PARAM_SCHEDULERS
        model = MODELS.build(dict(type='Linear', in_features=2, out_features=1))
        opt = OPTIMIZERS.build(dict(type='SGD', lr=0.1), default_args=dict(params=model.parameters()))
        sched = PARAM_SCHEDULERS.build(dict(type='StepLR', step_size=1, gamma=0.5),
                                       default_args=dict(optimizer=opt))
        opt.step(); sched.step()
        print(type(opt).__name__, type(sched).__name__, opt.param_groups[0]['lr'])
        """
    )
    assert out == "SGD StepLR 0.05"

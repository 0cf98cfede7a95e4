#include "image_transform.h"

#include "tessera/op_attrs.h"

namespace tessera::contracts {

TransformGeom transform_geometry(const char* op, const KernelArgs& args, const View& image, const View& transforms,
                                 const View& output) {
  // The addon checked the attributes against ops.def (enum ranges included).
  const auto a = attrs::ImageTransformAttrs::read(args);
  TK_CHECK(image.rank() == 4 && output.rank() == 4,
           op << ": expected NHWC images of rank 4, got ranks " << image.rank() << " and " << output.rank());
  TK_CHECK(image.dim(0) == output.dim(0) && image.dim(3) == output.dim(3),
           op << ": expected the same batch and channels in and out, got [" << image.dim(0) << ", " << image.dim(3)
              << "] and [" << output.dim(0) << ", " << output.dim(3) << "]");
  TK_CHECK(image.dtype() == output.dtype() && transforms.dtype() == image.dtype(),
           op << ": expected the images and transforms of one dtype, got " << dtype_name(image.dtype()) << ", "
              << dtype_name(output.dtype()) << " and " << dtype_name(transforms.dtype()));
  TK_CHECK(
      transforms.rank() == 2 && transforms.dim(1) == 8 && (transforms.dim(0) == image.dim(0) || transforms.dim(0) == 1),
      op << ": expected transforms of shape [" << image.dim(0) << " or 1, 8], got rank " << transforms.rank());
  const int interpolation = static_cast<int>(a.interpolation), fill_mode = static_cast<int>(a.fill_mode);
  return TransformGeom{image.dim(0),  image.dim(1),           image.dim(2),  image.dim(3), output.dim(1),
                       output.dim(2), transforms.dim(0) == 1, interpolation, fill_mode,    a.fill_value};
}

}  // namespace tessera::contracts
